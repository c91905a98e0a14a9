using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests.Trainer;

public sealed class ValidationDataTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void EarlyStoppingStopsOnTheGivenValidationSetsLoss()
    {
        // The validation set's target is the training target negated: the better the network fits the training
        // rows, the worse it does there, so its loss rises from the first epochs and early stopping must stop.
        var train = ToyData.Regression(_ml, 400, 1);
        var validation = ToyData.Regression(_ml, 200, 2, sign: -1f);
        var trainer = _ml.Regression.Trainers.DeepNet(new DeepNetOptions
        {
            HiddenLayers = [16], Epochs = 40, EarlyStoppingPatience = 3, LearningRate = 0.01f, Seed = 3,
        });
        var model = trainer.Fit(train, validation);
        var result = trainer.LastTrainingResult!;

        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + 3, result.History.Count);
        float best = result.History[result.BestEpoch - 1].ValidationLoss!.Value;
        Assert.All(result.History.Skip(result.BestEpoch), r => Assert.True(r.ValidationLoss >= best));
        // The training loss kept falling while the given set's rose: it was the given set that stopped training.
        Assert.True(result.History[^1].TrainingLoss < result.History[result.BestEpoch - 1].TrainingLoss);
        // The model keeps the best epoch's weights: ML.NET's evaluator finds that epoch's validation loss on the set.
        var metrics = _ml.Regression.Evaluate(model.Transform(validation));
        Assert.Equal(best, metrics.MeanSquaredError, 4);
    }

    [Fact]
    public void TheSameValidationRowsAsTrainingDoNotStopIt()
    {
        var train = ToyData.Regression(_ml, 400, 1);
        var trainer = _ml.Regression.Trainers.DeepNet(new DeepNetOptions
        {
            HiddenLayers = [16], Epochs = 8, EarlyStoppingPatience = 3, LearningRate = 0.01f, Seed = 3,
        });
        trainer.Fit(train, ToyData.Regression(_ml, 200, 2));
        Assert.False(trainer.LastTrainingResult!.StoppedEarly);
        Assert.Equal(8, trainer.LastTrainingResult.History.Count);
    }

    [Fact]
    public void AValidationSetWithAnotherSchemaIsAClearError()
    {
        var train = ToyData.Regression(_ml, 50, 1);
        var trainer = _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1 });

        var wide = _ml.Transforms.Concatenate("Features", "Features", "Weight").Fit(train).Transform(train);
        var features = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(train, wide));
        Assert.Equal("validationData", features.ParamName);
        Assert.Contains("'Features'", features.Message);
        Assert.Contains("[5]", features.Message);
        Assert.Contains("[4]", features.Message);

        var keyed = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(train);
        var label = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(train, keyed));
        Assert.Contains("label column 'Label'", label.Message);
        Assert.Contains("Single", label.Message);

        var renamed = _ml.Transforms.CopyColumns("Other", "Features").Append(_ml.Transforms.DropColumns("Features")).Fit(train).Transform(train);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(train, renamed));
        Assert.Contains("no features column 'Features'", missing.Message);

        var weighted = _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1, ExampleWeightColumnName = "Weight" });
        var noWeight = Assert.Throws<ArgumentOutOfRangeException>(() => weighted.Fit(train, _ml.Transforms.DropColumns("Weight").Fit(train).Transform(train)));
        Assert.Contains("weight column 'Weight'", noWeight.Message);
    }

    [Fact]
    public void EarlyStoppingWithoutValidationDataNamesBothWaysToGiveIt()
    {
        var trainer = _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], EarlyStoppingPatience = 2 });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(ToyData.Regression(_ml, 20, 1)));
        Assert.Equal(nameof(DeepNetOptions.EarlyStoppingPatience), e.ParamName);
        Assert.Contains("validationData", e.Message);
        Assert.Contains("ValidationFraction", e.Message);
    }

    [Fact]
    public void ClassificationHoldsEachClassOutInItsShare()
    {
        // 95 false and 5 true rows, a fifth held out: stratified, 19 false and 1 true, whatever the seed. Features
        // are 0, so the (barely trained) network scores every row false and the validation accuracy is 19/20.
        // A plain random split holds exactly one true row out only about 4 times in 10.
        var rows = Enumerable.Range(0, 100).Select(i => new BinaryRow { Label = i % 20 == 0, Features = new float[2] }).ToList();
        var data = _ml.Data.LoadFromEnumerable(rows);
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var trainer = _ml.BinaryClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [], Epochs = 1, ValidationFraction = 0.2f, Seed = seed, LearningRate = 1e-6f });
            trainer.Fit(data);
            Assert.Equal(0.95, trainer.LastTrainingResult!.History[0].ValidationAccuracy!.Value, 10);
        }
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }
}
