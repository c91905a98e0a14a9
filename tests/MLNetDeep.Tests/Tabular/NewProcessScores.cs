using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests.Tabular;

/// <summary>A saved model's scores from a new process (<see cref="ModelRunnerProcess"/>), bit for bit those of the model in this one.</summary>
internal static class NewProcessScores
{
    public static void AssertSameBits(ITransformer model, IDataView data, string path, string directory, int rows = 40)
    {
        float[][] features = data.GetColumn<float[]>("Features").Take(rows).ToArray();
        string[] lines = ModelRunnerProcess.Predict(path, features, directory);
        float[] scores = model.Transform(data).GetColumn<float>("Score").Take(rows).ToArray();
        int scoreAt = Array.IndexOf(lines[0].Split('\t'), "Score");
        Assert.Equal(features.Length + 1, lines.Length);
        for (int i = 0; i < features.Length; i++)
            Assert.Equal(BitConverter.SingleToUInt32Bits(scores[i]), uint.Parse(lines[i + 1].Split('\t')[scoreAt], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
