using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests.DeepNet;

public sealed class DeepNetPersistenceTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-deepnet-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public sealed class DigitInput
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];
    }

    public sealed class DigitPrediction
    {
        public float PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }

    /// <summary>Normalize + DeepNet + MapKeyToValue, fitted on keyed digits; it needs only Features to predict.</summary>
    private (ITransformer Model, IDataView Keyed, IDataView Test) Fit()
    {
        var (train, test) = Digits.Split(_ml, 2000, 200);
        var keying = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var keyed = keying.Transform(train);
        var model = _ml.Transforms.NormalizeMinMax("Features")
            .Append(_ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [64], Dropout = 0.2f, Epochs = 3 }))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(keyed);
        return (model, keyed, test);
    }

    [Fact]
    public void ANewProcessLoadsWithPlainModelLoadAndPredictsTheSameBits()
    {
        var (model, keyed, test) = Fit();
        string path = Path.Combine(_directory, "digits.zip");
        _ml.Model.Save(model, keyed.Schema, path);

        float[][] features = test.GetColumn<float[]>("Features").ToArray();
        string[] lines = ModelRunnerProcess.Predict(path, features, _directory);

        var scored = model.Transform(test);
        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        float[] labels = scored.GetColumn<float>("PredictedLabel").ToArray();
        string[] header = lines[0].Split('\t');
        int scoreAt = Array.IndexOf(header, "Score"), labelAt = Array.IndexOf(header, "PredictedLabel");
        Assert.Equal(features.Length + 1, lines.Length);
        for (int i = 0; i < features.Length; i++)
        {
            string[] fields = lines[i + 1].Split('\t');
            uint[] actual = fields[scoreAt].Split(' ').Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(scores[i].Select(BitConverter.SingleToUInt32Bits), actual);
            Assert.Equal(BitConverter.SingleToUInt32Bits(labels[i]), uint.Parse(fields[labelAt], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void APredictionEngineOnTheLoadedModelPredictsLikeTheOriginal()
    {
        var (model, keyed, test) = Fit();
        string path = Path.Combine(_directory, "digits.zip");
        _ml.Model.Save(model, keyed.Schema, path);
        var loaded = new MLContext(seed: 2).Model.Load(path, out var schema);
        Assert.NotNull(schema.GetColumnOrNull("Features"));

        var original = _ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
        var reloaded = _ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(loaded);
        foreach (var features in test.GetColumn<float[]>("Features").Take(50))
        {
            var a = original.Predict(new DigitInput { Features = features });
            var b = reloaded.Predict(new DigitInput { Features = features });
            Assert.Equal(a.PredictedLabel, b.PredictedLabel);
            Assert.Equal(a.Score.Select(BitConverter.SingleToInt32Bits), b.Score.Select(BitConverter.SingleToInt32Bits));
            Assert.InRange(a.Score.Sum(), 0.999f, 1.001f); // softmax probabilities
        }
    }
}
