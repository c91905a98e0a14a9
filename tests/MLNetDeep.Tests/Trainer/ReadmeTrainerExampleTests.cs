using Microsoft.ML;

namespace MLNetDeep.Tests.Trainer;

/// <summary>Keeps the README's example of validation data, warm start and weights compiling and running on toy data.</summary>
public sealed class ReadmeTrainerExampleTests
{
    [Fact]
    public void TheReadmeExampleRunsAsWritten()
    {
        var ml = new MLContext(seed: 1);
        var train = ToyData.Blobs(ml, 150, 1);
        var validation = ToyData.Blobs(ml, 60, 2);
        // README begin
        var trainer = ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions
        {
            HiddenLayers = [256], Epochs = 30, EarlyStoppingPatience = 3,
            ExampleWeightColumnName = "Weight",            // a Single column: each row's weight in the loss
            ClassWeights = ClassWeights.Balanced,          // or ClassWeights.Of(1, 5, 1): one weight per class
        });
        var model = trainer.Fit(train, validation);         // the validation set's loss drives early stopping and the reports
        var more = trainer.Fit(train, validation, model.Model);   // warm start: Epochs more epochs from its weights
        // README end
        Assert.All(model.Model.TrainingHistory, r => Assert.NotNull(r.ValidationLoss));
        Assert.True(more.Model.TrainingHistory.Count > model.Model.TrainingHistory.Count);
    }

    [Fact]
    public void TheReadmeHoldsTheSameCode()
    {
        string root = DeepNet.ReadmeExampleTests.RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "MLNetDeep.Tests", "Trainer", "ReadmeTrainerExampleTests.cs"));
        int begin = source.IndexOf("// README begin", StringComparison.Ordinal) + "// README begin".Length;
        string body = source[begin..source.IndexOf("        // README end", StringComparison.Ordinal)];
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        foreach (string line in body.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
            Assert.True(readme.Contains(line, StringComparison.Ordinal), $"README.md no longer holds the line: {line}");
    }
}
