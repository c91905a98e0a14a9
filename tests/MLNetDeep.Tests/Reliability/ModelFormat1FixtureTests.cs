using System.Globalization;
using System.Runtime.Intrinsics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests.Reliability;

/// <summary>
/// ML.NET model files saved by the code of model format version 1 (Fixtures/ModelFormat1/README.md) load in a
/// new process through plain <c>ml.Model.Load</c> and give what that code gave for the same digits.
/// </summary>
public sealed class ModelFormat1FixtureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-fixture-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "ModelFormat1", file);

    /// <summary>The inputs the fixtures were scored on: embedded digits 9000-9019, pixels in [0, 1].</summary>
    private static float[][] TestDigits()
    {
        var ml = new MLContext(seed: 1);
        return ml.Data.TakeRows(ml.Data.SkipRows(ml.Data.LoadEmbeddedDigits(), 9000), 20).GetColumn<float[]>("Features").ToArray();
    }

    [Fact]
    public void TheDeepNetCnnPipelineLoadsInANewProcessAndPredictsTheSameBits()
    {
        var (expected, sameWidth) = Expected("deepnet-cnn.expected.txt");
        string[] lines = ModelRunnerProcess.Predict(PathOf("deepnet-cnn.zip"), TestDigits(), _directory);
        string[] header = lines[0].Split('\t');
        int scoreAt = Array.IndexOf(header, "Score"), labelAt = Array.IndexOf(header, "PredictedLabel");
        Assert.Equal(expected.Length + 1, lines.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            string[] fields = lines[i + 1].Split('\t');
            var scores = Hex(fields[scoreAt]);
            Assert.Equal(float.Parse(expected[i][^1], CultureInfo.InvariantCulture), BitConverter.UInt32BitsToSingle(Hex(fields[labelAt])[0]));
            AssertSame($"digit {9000 + i} Score", expected[i][..^1].Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray(), scores, sameWidth);
        }
    }

    [Fact]
    public void TheDeepBeliefFeaturesLoadInANewProcessAndGiveTheSameBits()
    {
        var (expected, sameWidth) = Expected("deepbelief.expected.txt");
        string[] lines = ModelRunnerProcess.Predict(PathOf("deepbelief.zip"), TestDigits(), _directory);
        Assert.Equal("DbnFeatures", lines[0]);
        Assert.Equal(expected.Length + 1, lines.Length);
        for (int i = 0; i < expected.Length; i++)
            AssertSame($"digit {9000 + i} DbnFeatures", expected[i].Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray(), Hex(lines[i + 1]), sameWidth);
    }

    private static uint[] Hex(string field) => field.Split(' ').Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The expected lines, and whether this machine runs the vector width of the one that wrote them.</summary>
    private static (string[][] Lines, bool SameWidth) Expected(string file)
    {
        var lines = File.ReadAllLines(PathOf(file));
        bool writtenWith512 = lines[0].EndsWith("Vector512 True", StringComparison.Ordinal);
        return (lines.Skip(1).Select(l => l.Split(' ')).ToArray(), writtenWith512 == Vector512.IsHardwareAccelerated);
    }

    /// <summary>Bit for bit at the writer's vector width; within a few units in the last place at another (TensorPrimitives' exponentials).</summary>
    private static void AssertSame(string what, uint[] expected, uint[] actual, bool sameWidth)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            float e = BitConverter.UInt32BitsToSingle(expected[k]), a = BitConverter.UInt32BitsToSingle(actual[k]);
            if (sameWidth) Assert.True(expected[k] == actual[k], $"{what}[{k}] is {a:R}; the version-1 code gave {e:R}.");
            else Assert.True(Math.Abs(e - a) <= 1e-6f * Math.Max(1f, Math.Abs(e)), $"{what}[{k}] is {a:R}; the version-1 code gave {e:R} (another vector width).");
        }
    }
}
