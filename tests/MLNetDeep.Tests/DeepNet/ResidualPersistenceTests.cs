using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests.DeepNet;

/// <summary>A DeepNet with residual blocks (one with a projection) saves with ml.Model.Save and loads in a new process, giving the same bits.</summary>
public sealed class ResidualPersistenceTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-residual-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AResidualNetworkLoadsInANewProcessAndPredictsTheSameBits()
    {
        var (train, test) = Digits.Split(_ml, 1000, 50);
        var keyed = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(train);
        var model = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions
        {
            Layers = [DeepNetLayer.Dense(32), DeepNetLayer.Residual(DeepNetLayer.Dense(32), DeepNetLayer.Dropout(0.2f)), DeepNetLayer.Residual(DeepNetLayer.Dense(16, ActivationKind.Tanh))],
            Epochs = 2, Seed = 3,
        }).Fit(keyed);
        string path = Path.Combine(_directory, "residual.zip");
        _ml.Model.Save(model, keyed.Schema, path);

        float[][] features = test.GetColumn<float[]>("Features").ToArray();
        string[] lines = ModelRunnerProcess.Predict(path, features, _directory);
        float[][] scores = model.Transform(test).GetColumn<float[]>("Score").ToArray();
        int scoreAt = Array.IndexOf(lines[0].Split('\t'), "Score");
        Assert.Equal(features.Length + 1, lines.Length);
        for (int i = 0; i < features.Length; i++)
        {
            uint[] actual = lines[i + 1].Split('\t')[scoreAt].Split(' ').Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(scores[i].Select(BitConverter.SingleToUInt32Bits), actual);
        }
    }
}
