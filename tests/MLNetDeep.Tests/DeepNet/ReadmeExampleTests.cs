using Microsoft.ML;
using MLNetDeep.Engine.Initializers;   // InitializerKind
using MLNetDeep.Engine.Optimizers;     // OptimizerKind

namespace MLNetDeep.Tests.DeepNet;

/// <summary>
/// Keeps the README's pipeline example compiling and true: the body below is the README's code, and a
/// second test checks that the README still holds these very lines.
/// </summary>
public sealed class ReadmeExampleTests
{

    [Fact]
    public void TheReadmePipelineRunsAsWritten()
    {
        // The README saves to "digits.zip" in the current folder (the test's output folder here).
        try
        {
            // README begin
            var ml = new MLContext(seed: 1);
            var digits = ml.Data.LoadEmbeddedDigits();               // 10,000 MNIST digits, no file needed
            var train = ml.Data.TakeRows(digits, 8000);
            var test = ml.Data.SkipRows(digits, 8000);

            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Transforms.NormalizeMinMax("Features"))
                .Append(ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions
                {
                    HiddenLayers = [256, 256], Activation = ActivationKind.ReLU, Initializer = InitializerKind.Xavier,
                    Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, Epochs = 15, BatchSize = 100, Seed = 1,
                }))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            var model = pipeline.Fit(train);
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));   // MicroAccuracy 0.9615
            ml.Model.Save(model, train.Schema, "digits.zip");
            // README end
            Assert.Equal(0.9615, metrics.MicroAccuracy, 4);
            Assert.True(new FileInfo("digits.zip").Length > 0);
        }
        finally
        {
            File.Delete("digits.zip");
        }
    }

    [Fact]
    public void TheReadmeHoldsTheSameCode()
    {
        string source = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "MLNetDeep.Tests", "DeepNet", "ReadmeExampleTests.cs"));
        string body = source[(source.IndexOf("// README begin", StringComparison.Ordinal) + "// README begin".Length)..source.IndexOf("            // README end", StringComparison.Ordinal)];
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        foreach (string line in body.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
            Assert.True(readme.Contains(line, StringComparison.Ordinal), $"README.md no longer holds the line: {line}");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLNetDeep.sln"))) return dir.FullName;
        throw new InvalidOperationException("MLNetDeep.sln not found above " + AppContext.BaseDirectory);
    }
}
