using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests.DeepNet;

/// <summary>
/// Rows with a missing label are skipped, as ML.NET's trainers skip them. (Bad input that must fail is in
/// Reliability/BadInputTests, one row a case.)
/// </summary>
public sealed class DeepNetMissingLabelTests
{
    private readonly MLContext _ml = new(seed: 1);

    public sealed class Row
    {
        public float Label { get; set; }

        [VectorType(3)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void ANaNRegressionLabelIsMissingAndItsRowSkipped()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new Row { Label = 1, Features = [0, 1, 2] }, new Row { Label = float.NaN, Features = [1, 1, 1] } });
        var trainer = _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1 });
        trainer.Fit(data);
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
    public void AKeyBeyondItsCountIsMissingAndItsRowSkipped()
    {
        // A key beyond its key count never reaches the trainer: ML.NET's loader turns it into the
        // missing key 0, which is skipped like any missing label, so training uses the other row.
        var keyed = _ml.Data.LoadFromEnumerable(new[] { new KeyRow { Label = 1, Features = [1, 2, 3] }, new KeyRow { Label = 5, Features = [3, 2, 1] } });
        Assert.Equal(0u, keyed.GetColumn<uint>("Label").Last());
        var trainer = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1, BatchSize = 8 });
        trainer.Fit(keyed);
        Assert.Single(trainer.LastTrainingResult!.History);
    }
}
