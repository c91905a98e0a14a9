using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

public sealed class SeparateProcessTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AModelLoadedInANewProcessPredictsTheSameBits()
    {
        MulticlassRow[] rows = HandData.ManyMulticlass(300);
        (ITransformer model, IDataView keyed) = TestPipelines.Multiclass(_ml, rows);
        string path = Path.Combine(_directory, "model.zip");
        _ml.Model.Save(model, keyed.Schema, path);

        string[] lines = ModelRunnerProcess.Predict(path, rows.Select(r => r.Features).ToArray(), _directory);

        IDataView scored = model.Transform(keyed);
        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        string[] labels = scored.GetColumn<string>("PredictedLabel").ToArray();
        string[] header = lines[0].Split('\t');
        int scoreAt = Array.IndexOf(header, "Score"), labelAt = Array.IndexOf(header, "PredictedLabel");
        Assert.Equal(rows.Length + 1, lines.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            string[] fields = lines[i + 1].Split('\t');
            uint[] expectedBits = scores[i].Select(BitConverter.SingleToUInt32Bits).ToArray();
            uint[] actualBits = fields[scoreAt].Split(' ').Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(expectedBits, actualBits);
            Assert.Equal(labels[i], fields[labelAt]);
        }
    }
}
