using System.Diagnostics;
using System.Reflection;

namespace MLNetDeep.Tests;

/// <summary>Runs tests/MLNetDeep.ModelRunner in a process of its own: a fresh runtime that never saw the test's types.</summary>
internal static class ModelRunnerProcess
{
    /// <summary>The runner's assembly, as the build recorded it (see EmbedModelRunnerPath in the project file).</summary>
    public static string RunnerPath =>
        typeof(ModelRunnerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ModelRunnerPath").Value!;

    /// <summary>Writes the features file, runs the runner and returns its output lines (header first).</summary>
    public static string[] Predict(string modelPath, float[][] features, string workDirectory)
    {
        string input = Path.Combine(workDirectory, "features.bin");
        using (var writer = new BinaryWriter(File.Create(input)))
        {
            writer.Write(features.Length);
            writer.Write(features[0].Length);
            foreach (float value in features.SelectMany(row => row))
                writer.Write(value);
        }
        return Run(modelPath, input, workDirectory);
    }

    /// <summary>Scores image files: the model's input is an ImagePath column.</summary>
    public static string[] PredictImages(string modelPath, IEnumerable<string> imagePaths, string workDirectory)
    {
        string input = Path.Combine(workDirectory, "images.paths");
        File.WriteAllLines(input, imagePaths);
        return Run(modelPath, input, workDirectory);
    }

    private static string[] Run(string modelPath, string input, string workDirectory)
    {
        string output = Path.Combine(workDirectory, "predictions.tsv");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { RunnerPath, modelPath, input, output })
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "The model runner did not finish in 2 minutes.");
        Assert.True(process.ExitCode == 0, $"The model runner failed ({process.ExitCode}):\n{stdout.Result}\n{stderr}");
        return File.ReadAllLines(output);
    }
}
