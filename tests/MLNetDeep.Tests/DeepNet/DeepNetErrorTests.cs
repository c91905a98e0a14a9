using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests.DeepNet;

/// <summary>Each bad input raises an exception of the right type that names the column and what was expected.</summary>
public sealed class DeepNetErrorTests
{
    private readonly MLContext _ml = new(seed: 1);

    public sealed class Row
    {
        public float Label { get; set; }

        [VectorType(3)]
        public float[] Features { get; set; } = [];

        public float Other { get; set; }

        public float[] Ragged { get; set; } = [];
    }

    private IDataView Rows(params (float Label, float[] Features)[] rows)
    {
        var list = rows.Select(r => new Row { Label = r.Label, Features = r.Features, Other = 1, Ragged = r.Features }).ToList();
        return _ml.Data.LoadFromEnumerable(list);
    }

    private IDataView Good() => Rows((1, [0, 1, 2]), (2, [1, 1, 1]), (1, [2, 0, 1]));

    private DeepNetTrainer Regression(string features = "Features", string label = "Label") =>
        _ml.Regression.Trainers.DeepNet(new DeepNetOptions { FeatureColumnName = features, LabelColumnName = label, HiddenLayers = [4], Epochs = 1 });

    [Fact]
    public void MissingFeaturesColumn()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Regression(features: "Pixels").Fit(Good()));
        Assert.Contains("'Pixels'", e.Message);
    }

    [Fact]
    public void FeaturesColumnOfTheWrongType()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Regression(features: "Other").Fit(Good()));
        Assert.Contains("'Other'", e.Message);
        Assert.Contains("vector of Single", e.Message);
    }

    [Fact]
    public void FeaturesColumnOfUnknownSize()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Regression(features: "Ragged").Fit(Good()));
        Assert.Contains("'Ragged'", e.Message);
        Assert.Contains("known size", e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteFeaturesInTraining(float bad)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Regression().Fit(Rows((1, [0, 1, 2]), (2, [1, bad, 1]))));
        Assert.Contains("'Features'", e.Message);
        Assert.Contains("Row 1", e.Message);
    }

    [Fact]
    public void MissingLabelsAreSkippedAndAllMissingIsAnEmptyTrainingSet()
    {
        // NaN is the missing value of a Single label, skipped like ML.NET's trainers skip it.
        Regression().Fit(Rows((1, [0, 1, 2]), (float.NaN, [1, 1, 1])));
        var e = Assert.Throws<InvalidOperationException>(() => Regression().Fit(Rows((float.NaN, [0, 1, 2]))));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("nothing to learn", e.Message);
    }

    [Fact]
    public void EmptyTrainingSet()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Regression().Fit(Rows()));
        Assert.Contains("'Label'", e.Message);
    }

    [Fact]
    public void LabelOfTheWrongTypeForTheTask()
    {
        var multiclass = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.MulticlassClassification.Trainers.DeepNet().Fit(Good()));
        Assert.Contains("'Label'", multiclass.Message);
        Assert.Contains("key", multiclass.Message);
        var binary = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.BinaryClassification.Trainers.DeepNet().Fit(Good()));
        Assert.Contains("'Label'", binary.Message);
        Assert.Contains("Boolean", binary.Message);
    }

    [Fact]
    public void LabelOutOfRange()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Regression().Fit(Rows((1, [0, 1, 2]), (float.PositiveInfinity, [1, 1, 1]))));
        Assert.Contains("'Label'", e.Message);
        // A key beyond its key count never reaches the trainer: ML.NET's loader turns it into the
        // missing key 0, which is skipped like any missing label, so training uses the other row.
        var keyed = _ml.Data.LoadFromEnumerable(new[] { new KeyRow { Label = 1, Features = [1, 2, 3] }, new KeyRow { Label = 5, Features = [3, 2, 1] } });
        Assert.Equal(0u, keyed.GetColumn<uint>("Label").Last());
        var trainer = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1, BatchSize = 8 });
        trainer.Fit(keyed);
        Assert.Single(trainer.LastTrainingResult!.History);
    }

    public sealed class KeyRow
    {
        [KeyType(3)]
        public uint Label { get; set; }

        [VectorType(3)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void MismatchedSchemaAtTransform()
    {
        var model = Regression().Fit(Good());
        var other = _ml.Data.LoadFromEnumerable(new[] { new Wide { Features = [1, 2, 3, 4] } });
        var e = Assert.ThrowsAny<ArgumentException>(() => model.Transform(other));
        Assert.Contains("'Features'", e.Message);
        var missing = _ml.Data.LoadFromEnumerable(new[] { new Named { Pixels = [1, 2, 3] } });
        var m = Assert.ThrowsAny<ArgumentException>(() => model.Transform(missing));
        Assert.Contains("'Features'", m.Message);
    }

    public sealed class Wide
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Named
    {
        [VectorType(3)]
        public float[] Pixels { get; set; } = [];
    }

    [Theory]
    [InlineData("LearningRate")]
    [InlineData("Epochs")]
    [InlineData("BatchSize")]
    [InlineData("Dropout")]
    [InlineData("HiddenLayers")]
    public void InvalidOptionsAreNamed(string option)
    {
        var options = new DeepNetOptions();
        switch (option)
        {
            case "LearningRate": options.LearningRate = -0.1f; break;
            case "Epochs": options.Epochs = 0; break;
            case "BatchSize": options.BatchSize = 0; break;
            case "Dropout": options.Dropout = 1f; break;
            case "HiddenLayers": options.HiddenLayers = [10, 0]; break;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(options));
        Assert.Equal(option, e.ParamName);
    }
}
