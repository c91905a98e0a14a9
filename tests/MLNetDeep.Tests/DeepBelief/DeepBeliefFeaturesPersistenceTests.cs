using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Tests.DeepNet;

namespace MLNetDeep.Tests.DeepBelief;

public sealed class DeepBeliefFeaturesPersistenceTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-dbn-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ANewProcessLoadsWithPlainModelLoadAndGivesTheSameFeatureBits()
    {
        var (train, test) = Digits.Split(_ml, 1000, 100);
        var model = _ml.Transforms.DeepBeliefFeatures("DbnFeatures", "Features", [48, 24], new PretrainingOptions { Epochs = 2, Seed = 3 })
            .Append(_ml.Transforms.NormalizeMinMax("DbnFeatures"))
            .Fit(train);
        string path = Path.Combine(_directory, "dbn.zip");
        _ml.Model.Save(model, train.Schema, path);

        float[][] features = test.GetColumn<float[]>("Features").ToArray();
        string[] lines = ModelRunnerProcess.Predict(path, features, _directory);

        float[][] expected = model.Transform(test).GetColumn<float[]>("DbnFeatures").ToArray();
        Assert.Equal("DbnFeatures", lines[0]);
        Assert.Equal(features.Length + 1, lines.Length);
        for (int i = 0; i < features.Length; i++)
        {
            uint[] actual = lines[i + 1].Split(' ').Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(24, actual.Length);
            Assert.Equal(expected[i].Select(BitConverter.SingleToUInt32Bits), actual);
        }
    }

    [Fact]
    public void TheLoadedTransformerKeepsItsColumnsAndTheirType()
    {
        var train = Digits.Split(_ml, 300, 1).Train;
        var model = _ml.Transforms.DeepBeliefFeatures("Features", hiddenLayerSizes: [16], options: new PretrainingOptions { Epochs = 1 }).Fit(train);
        string path = Path.Combine(_directory, "replace.zip");
        _ml.Model.Save(model, train.Schema, path);
        var loaded = (NetworkPredictionTransformer)new MLContext(seed: 2).Model.Load(path, out _);

        Assert.Equal(NetworkPredictionKind.FeatureExtraction, loaded.Kind);
        Assert.Equal("Features", loaded.FeatureColumnName);
        Assert.Equal(["Features"], loaded.OutputColumnNames);
        var a = model.Transform(train).GetColumn<float[]>("Features").ToArray();
        var b = loaded.Transform(train).GetColumn<float[]>("Features").ToArray();
        Assert.Equal(a.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits), b.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits));
    }
}
