using System.Diagnostics;
using System.Reflection;
using Xunit.Abstractions;

namespace MLNetDeep.Samples.Tests;

/// <summary>
/// Runs every sample in quick mode, as a user would (dotnet MLNetDeep.Samples.dll NAME --quick --out DIR),
/// and checks that it exits 0 and writes its charts as PNG files, and that each course sample checked its
/// claim (or said that quick mode is too small to decide it).
/// </summary>
public sealed class SampleTests(ITestOutputHelper output)
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static TheoryData<string, string[]> Samples => new()
    {
        { "compare", ["compare.png"] },
        { "xor", [] },
        { "backprop", [] },
        { "activations", ["activations.png"] },
        { "vanishing", ["vanishing.png"] },
        { "init", ["init.png"] },
        { "dropout", ["dropout.png"] },
        { "optimizers", ["optimizers.png"] },
        { "widedeep", ["widedeep.png"] },
        { "cnn", ["cnn.png"] },
        { "tabular", ["tabular.png"] },
        { "onnx", [] },
    };

    /// <summary>The samples that make a claim about their numbers, and exit 1 when the numbers contradict it.</summary>
    private static readonly string[] CourseSamples = ["compare", "vanishing", "init", "dropout", "optimizers", "widedeep", "cnn"];

    [Theory]
    [MemberData(nameof(Samples))]
    public void RunsQuicklyAndWritesItsCharts(string sample, string[] charts)
    {
        string directory = Path.Combine(Path.GetTempPath(), "mlnetdeep-samples-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, text) = RunSample(sample, "--quick", "--out", directory);
            output.WriteLine(text);
            Assert.True(exitCode == 0, $"'{sample} --quick' exited with {exitCode}:\n{text}");
            if (CourseSamples.Contains(sample))
                Assert.Matches(@"Claim (holds|not checked)", text);
            Assert.DoesNotContain("Claim contradicted", text);
            foreach (string chart in charts)
            {
                string path = Path.Combine(directory, chart);
                Assert.True(File.Exists(path), $"'{sample}' did not write {chart}.");
                byte[] bytes = File.ReadAllBytes(path);
                Assert.True(bytes.Length > 10_000, $"{chart} has only {bytes.Length} bytes.");
                Assert.Equal(PngSignature, bytes[..8]);
            }
            var written = Directory.Exists(directory) ? Directory.GetFiles(directory).Select(Path.GetFileName).Order().ToArray() : [];
            Assert.Equal(charts.Order().ToArray(), written);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void HelpListsEverySampleThisTestRuns()
    {
        var (exitCode, text) = RunSample("--help");
        Assert.Equal(0, exitCode);
        var names = Samples.Select(row => (string)row[0]).ToArray();
        Assert.All(names, name => Assert.Contains(name, text));
        // Each sample is one row of the help table (a wrapped row continues with an empty first cell);
        // a new sample must be added to Samples above.
        int rows = text.Split('\n').Count(line => line.Length > 2 && line.StartsWith("│ ") && line[2] != ' ' && !line.StartsWith("│ sample "));
        Assert.Equal(names.Length, rows);
    }

    [Fact]
    public void AnUnknownSampleIsAnError()
    {
        var (exitCode, text) = RunSample("no-such-sample");
        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown sample", text);
    }

    private static string SamplesPath =>
        typeof(SampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SamplesPath").Value!;

    private static (int ExitCode, string Output) RunSample(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(SamplesPath);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"'{string.Join(' ', arguments)}' did not finish in 5 minutes.");
        return (process.ExitCode, stdout + stderr.Result);
    }
}
