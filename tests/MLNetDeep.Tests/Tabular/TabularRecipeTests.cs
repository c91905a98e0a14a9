using Microsoft.ML;
using MLNetDeep.Engine.Losses;

namespace MLNetDeep.Tests.Tabular;

/// <summary>
/// What the tabular recipe and the plain defaults set per task: the recipe's label smoothing on both classification
/// losses and left out of a regression, and the epochs each task scales to the rows (counted by hand from the rows;
/// the recipe's regression keeps 3,000 steps, <see cref="ScalingPersistenceTests"/> and the suite use them).
/// </summary>
public sealed class TabularRecipeTests
{
    private readonly MLContext _ml = new(seed: 1);

    // 640 rows in batches of 64: 10 steps an epoch.
    private IDataView Binary => ScaledRows.View(_ml, ScaledRows.Binary(640, seed: 2));

    private IDataView Linear => ScaledRows.View(_ml, ScaledRows.Linear(640, seed: 2));

    private static DeepNetOptions Small(DeepNetOptions options, bool binary)
    {
        options.HiddenLayers = [8];
        if (binary) options.LabelColumnName = nameof(ScaledRows.Row.Flag);
        return options;
    }

    [Fact]
    public void ThePlainDefaultsTrainABinaryTableForAbout200StepsAndARegressionFor3000()
    {
        var binary = _ml.BinaryClassification.Trainers.DeepNet(Small(new DeepNetOptions(), binary: true));
        binary.Fit(Binary);
        Assert.Equal(20, binary.LastTrainingResult!.History.Count); // 200 steps / 10 a epoch
        var regression = _ml.Regression.Trainers.DeepNet(Small(new DeepNetOptions(), binary: false));
        regression.Fit(Linear);
        Assert.Equal(300, regression.LastTrainingResult!.History.Count); // 3,000 / 10
    }

    [Fact]
    public void TheRecipeTrainsABinaryTaskForAbout1000StepsAndSmoothsItsLoss()
    {
        var binary = _ml.BinaryClassification.Trainers.DeepNet(Small(DeepNetOptions.ForTabular(), binary: true));
        var model = binary.Fit(Binary);
        Assert.Equal(100, binary.LastTrainingResult!.History.Count); // 1,000 / 10, counted on every row (a fifth held out)
        Assert.Equal(0.1f, Assert.IsType<SigmoidBinaryCrossEntropy>(model.Model.GetNetwork()!.Loss).LabelSmoothing);
    }

    [Fact]
    public void ARegressionLeavesTheRecipesSmoothingOutAndRefusesAnother()
    {
        var recipe = Small(DeepNetOptions.ForTabular(), binary: false);
        recipe.Epochs = 2;
        Assert.Equal(0.1f, recipe.LabelSmoothing);
        var model = _ml.Regression.Trainers.DeepNet(recipe).Fit(Linear);
        Assert.IsType<MeanSquaredError>(model.Model.GetNetwork()!.Loss);

        var other = Small(DeepNetOptions.ForTabular(), binary: false);
        other.LabelSmoothing = 0.2f;
        Assert.Equal(nameof(DeepNetOptions.LabelSmoothing),
            Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(other).Fit(Linear)).ParamName);
    }

    [Fact]
    public void TheRecipeIsWhatTheSweepsChose()
    {
        var o = DeepNetOptions.ForTabular();
        Assert.Equal((0.2f, Engine.Optimizers.OptimizerKind.AdamW, (float?)0.3f, 0.1f, 2e-3f, (int?)64), (o.Dropout, o.Optimizer, o.WeightDecay, o.LabelSmoothing, o.LearningRate, o.BatchSize));
        Assert.Equal([256, 128], o.HiddenLayers);
        Assert.Null(o.Epochs);
    }

    [Fact]
    public void PeriodicEmbeddingsComeBeforeTheHiddenLayersAndTheRecipesRegressionTakesDeviation1()
    {
        var options = Small(new DeepNetOptions { PeriodicEmbeddingSigma = 0.3f, Epochs = 1 }, binary: true);
        var layers = _ml.BinaryClassification.Trainers.DeepNet(options).Fit(Binary).Model.GetNetwork()!.Layers;
        var embedding = Assert.IsType<Engine.Layers.PeriodicEmbedding>(layers[1]); // after the learned input scaling
        Assert.Equal((16, 3, 0.3f), (embedding.Frequencies, embedding.Outputs, embedding.Sigma));
        Assert.IsType<Engine.Layers.Dense>(layers[2]);

        var recipe = Small(DeepNetOptions.ForTabular(), binary: false);
        recipe.Epochs = 1;
        Assert.Equal(0.1f, recipe.PeriodicEmbeddingSigma);
        var regression = _ml.Regression.Trainers.DeepNet(recipe).Fit(Linear).Model.GetNetwork()!.Layers;
        Assert.Equal(1f, Assert.IsType<Engine.Layers.PeriodicEmbedding>(regression[1]).Sigma);
        var classifier = Small(DeepNetOptions.ForTabular(), binary: true);
        classifier.Epochs = 1;
        Assert.Equal(0.1f, Assert.IsType<Engine.Layers.PeriodicEmbedding>(_ml.BinaryClassification.Trainers.DeepNet(classifier).Fit(Binary).Model.GetNetwork()!.Layers[1]).Sigma);
        // A deviation set by hand is the regression's too.
        recipe.PeriodicEmbeddingSigma = 0.5f;
        Assert.Equal(0.5f, Assert.IsType<Engine.Layers.PeriodicEmbedding>(_ml.Regression.Trainers.DeepNet(recipe).Fit(Linear).Model.GetNetwork()!.Layers[1]).Sigma);
    }

    [Theory, InlineData(0f), InlineData(float.NaN)]
    public void ABadDeviationIsRefused(float sigma) =>
        Assert.Equal(nameof(DeepNetOptions.PeriodicEmbeddingSigma), Assert.Throws<ArgumentOutOfRangeException>(
            () => _ml.BinaryClassification.Trainers.DeepNet(Small(new DeepNetOptions { PeriodicEmbeddingSigma = sigma, Epochs = 1 }, binary: true)).Fit(Binary)).ParamName);

    [Fact]
    public void ImagesAreRefusedNamingTheColumn()
    {
        var options = Small(new DeepNetOptions { PeriodicEmbeddingSigma = 0.1f, Epochs = 1, ImageShape = [1, 2, 2] }, binary: true);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.BinaryClassification.Trainers.DeepNet(options).Fit(Binary));
        Assert.Equal(nameof(DeepNetOptions.PeriodicEmbeddingSigma), e.ParamName);
        Assert.Contains("'Features'", e.Message);
    }
}
