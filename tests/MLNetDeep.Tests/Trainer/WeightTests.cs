using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Tests.Trainer;

public sealed class WeightTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static DeepNetOptions Blobs(Action<DeepNetOptions>? change = null)
    {
        var options = new DeepNetOptions { HiddenLayers = [8], Epochs = 15, LearningRate = 0.02f, BatchSize = 16, Seed = 4 };
        change?.Invoke(options);
        return options;
    }

    private uint[] Predictions(DeepNetOptions options, IDataView train, IDataView test) =>
        _ml.MulticlassClassification.Trainers.DeepNet(options).Fit(train).Transform(test).GetColumn<uint>("PredictedLabel").ToArray();

    [Fact]
    public void AClassOfWeightZeroIsNeverPredicted()
    {
        var train = ToyData.Blobs(_ml, 300, 1);
        var test = ToyData.Blobs(_ml, 300, 2);
        // Unweighted, the separable classes are all learnt: class 2 (key 2) is predicted on its rows.
        var plain = Predictions(Blobs(), train, test);
        Assert.True(plain.Count(p => p == 2) >= 95, $"class 2 predicted {plain.Count(p => p == 2)} times of 100");
        // With class weight 0 the loss never rewards class 2: it is never predicted, not even on its own rows.
        var weighted = Predictions(Blobs(o => o.ClassWeights = ClassWeights.Of(1, 0, 1)), train, test);
        Assert.DoesNotContain(2u, weighted);
        Assert.True(weighted.Count(p => p == 1) >= 95 && weighted.Count(p => p == 3) >= 95);
    }

    [Fact]
    public void ARowOfExampleWeightZeroDoesNotTeach()
    {
        // The same with the example weight column: class 3's rows weigh 0.
        var rows = ToyData.Blobs(_ml, 300, 1);
        var zeroed = _ml.Transforms.CustomMapping<ClassIn, WeightOut>((row, o) => o.Weight = row.Class == 3 ? 0f : 1f, null).Fit(rows).Transform(rows);
        var predictions = Predictions(Blobs(o => o.ExampleWeightColumnName = "Weight"), zeroed, ToyData.Blobs(_ml, 300, 2));
        Assert.DoesNotContain(3u, predictions);
    }

    private sealed class ClassIn
    {
        public uint Class { get; set; }
    }

    private sealed class WeightOut
    {
        public float Weight { get; set; }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DoublingEveryWeightIsSgdAtHalfTheLearningRate(bool multiclass)
    {
        // Loss and gradient are sums of weight x per-row term over the batch size, so every weight doubled doubles the
        // gradient exactly (a power of two), and SGD's step lr x gradient is then the step of lr / 2 with the weights as
        // they were: the very same bits after any number of steps.
        const float rate = 0.1f;
        float[] Scores(float weight, float learningRate)
        {
            var options = new DeepNetOptions
            {
                HiddenLayers = [8], Epochs = 3, BatchSize = 10, Optimizer = OptimizerKind.Sgd, LearningRate = learningRate,
                ExampleWeightColumnName = "Weight", Seed = 5,
            };
            IDataView data = multiclass ? Reweighted(ToyData.Blobs(_ml, 120, 1), weight) : ToyData.Regression(_ml, 120, 1, weight: weight);
            ITransformer model = multiclass ? _ml.MulticlassClassification.Trainers.DeepNet(options).Fit(data) : _ml.Regression.Trainers.DeepNet(options).Fit(data);
            var scored = model.Transform(data);
            return multiclass ? scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray() : scored.GetColumn<float>("Score").ToArray();
        }
        var once = Scores(1f, rate);
        Assert.Equal(once, Scores(2f, rate / 2));
        Assert.NotEqual(once, Scores(2f, rate));
    }

    private IDataView Reweighted(IDataView rows, float weight) =>
        _ml.Transforms.CustomMapping<ClassIn, WeightOut>((_, o) => o.Weight = weight, null).Fit(rows).Transform(rows);

    [Fact]
    public void TheCatalogsTakeTheWeightColumnAsMlNetTrainersDo()
    {
        var trainer = _ml.Regression.Trainers.DeepNet(exampleWeightColumnName: "Weight", epochs: 1);
        Assert.Equal("Weight", trainer.Options.ExampleWeightColumnName);
        Assert.Equal(2, _ml.BinaryClassification.Trainers.DeepNet(exampleWeightColumnName: "W", epochs: 2).Options.Epochs);
        Assert.Equal("W", _ml.MulticlassClassification.Trainers.DeepNet(exampleWeightColumnName: "W").Options.ExampleWeightColumnName);
    }

    [Fact]
    public void BalancedWeightsAreTheInverseClassFrequencies()
    {
        // 200 and 100 rows of two classes: 300 / (2 x 200) and 300 / (2 x 100).
        Assert.Equal([0.75f, 1.5f], ClassWeights.Balanced.For(2, [200, 100]));
        Assert.Equal([2f, 0f, 1f], ClassWeights.Of(2, 0, 1).For(3, []));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ClassWeights.Of(1, 2).For(3, []));
        Assert.Equal(nameof(DeepNetOptions.ClassWeights), e.ParamName);
    }

    [Fact]
    public void BalancedClassWeightsTrainAndStream()
    {
        var train = ToyData.Blobs(_ml, 150, 1);
        var inMemory = Predictions(Blobs(o => o.ClassWeights = ClassWeights.Balanced), train, train);
        var streamed = Predictions(Blobs(o => { o.ClassWeights = ClassWeights.Balanced; o.Streaming = true; }), train, train);
        Assert.True(inMemory.Zip(train.GetColumn<uint>("Label")).Count(p => p.First == p.Second) >= 145);
        Assert.True(streamed.Zip(train.GetColumn<uint>("Label")).Count(p => p.First == p.Second) >= 145);
    }

    [Fact]
    public void AWeightColumnOfTheWrongTypeOrValueIsAClearError()
    {
        var data = ToyData.Regression(_ml, 30, 1);
        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Regression.Trainers.DeepNet(new DeepNetOptions { ExampleWeightColumnName = "DoubleWeight", Epochs = 1 }).Fit(data));
        Assert.Equal(nameof(DeepNetOptions.ExampleWeightColumnName), wrongType.ParamName);
        Assert.Contains("'DoubleWeight'", wrongType.Message);
        Assert.Contains("must be Single", wrongType.Message);
        Assert.Contains("Double", wrongType.Message);

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Regression.Trainers.DeepNet(new DeepNetOptions { ExampleWeightColumnName = "Importance", Epochs = 1 }).Fit(data));
        Assert.Contains("'Importance'", missing.Message);
        Assert.Contains("not found", missing.Message);

        var negative = Assert.Throws<InvalidOperationException>(() =>
            _ml.Regression.Trainers.DeepNet(new DeepNetOptions { ExampleWeightColumnName = "Weight", Epochs = 1 }).Fit(ToyData.Regression(_ml, 30, 1, weight: -1f)));
        Assert.Contains("Row 0", negative.Message);
        Assert.Contains("weight column 'Weight'", negative.Message);

        var regression = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Regression.Trainers.DeepNet(new DeepNetOptions { ClassWeights = ClassWeights.Balanced, Epochs = 1 }).Fit(data));
        Assert.Equal(nameof(DeepNetOptions.ClassWeights), regression.ParamName);
    }
}
