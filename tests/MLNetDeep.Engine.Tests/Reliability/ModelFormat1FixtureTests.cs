using System.Runtime.Intrinsics;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Reliability;

/// <summary>
/// Model files written by the engine of format version 1 (see Fixtures/ModelFormat1/README.md) still load and
/// predict what that engine predicted for the same inputs. The expected outputs come from that older engine, not
/// from the code under test.
/// </summary>
public class ModelFormat1FixtureTests
{
    public static TheoryData<string> Fixtures => new() { "dense-every-activation", "cnn", "maxout-binary", "conv-stride-regression" };

    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "ModelFormat1", file);

    [Theory, MemberData(nameof(Fixtures))]
    public void LoadsAndPredictsTheBitsItWasWrittenWith(string name)
    {
        var (network, probes, expected, raw, sameVectorWidth) = Load(name);
        int batch = probes.Length / network.InputShape.Size;
        var actual = new float[expected.Length];
        network.Predict(probes, batch, actual);
        AssertSame(name, expected, actual, sameVectorWidth);
        network.Predict(probes, batch, actual, activate: false);
        AssertSame(name + " (raw)", raw, actual, sameVectorWidth);
    }

    [Theory, MemberData(nameof(Fixtures))]
    public void ARowPredictorGivesTheSameBitsRowByRow(string name)
    {
        // Raw outputs: the loss's activation over one row may round otherwise than over a batch (see SigmoidBinaryCrossEntropy).
        var (network, probes, _, raw, sameVectorWidth) = Load(name);
        int inSize = network.InputShape.Size, outSize = network.OutputShape.Size;
        var predictor = new RowPredictor(network);
        var actual = new float[raw.Length];
        for (int r = 0; r < probes.Length / inSize; r++)
            predictor.Predict(probes.AsSpan(r * inSize, inSize), actual.AsSpan(r * outSize, outSize), activate: false);
        AssertSame(name, raw, actual, sameVectorWidth);
    }

    [Theory, MemberData(nameof(Fixtures))]
    public void SavedAgainItKeepsItsWeightsAndPredictions(string name)
    {
        var (network, probes, expected, _, sameVectorWidth) = Load(name);
        var again = Network.Load(new MemoryStream(MLNetDeep.Engine.Serialization.NetworkSerializer.ToBytes(network)));
        Assert.Equal(network.ToString(), again.ToString());
        Assert.Equal(network.Parameters.SelectMany(p => p.Value).Select(BitConverter.SingleToInt32Bits),
            again.Parameters.SelectMany(p => p.Value).Select(BitConverter.SingleToInt32Bits));
        var actual = new float[expected.Length];
        again.Predict(probes, probes.Length / again.InputShape.Size, actual);
        AssertSame(name, expected, actual, sameVectorWidth);
    }

    private static (Network Network, float[] Probes, float[] Expected, float[] Raw, bool SameVectorWidth) Load(string name)
    {
        var network = Network.Load(PathOf(name + ".mlnd"));
        using var reader = new BinaryReader(File.OpenRead(PathOf(name + ".expected")));
        int count = reader.ReadInt32(), inSize = reader.ReadInt32(), outSize = reader.ReadInt32();
        bool writtenWithVector512 = reader.ReadBoolean();
        Assert.Equal(inSize, network.InputShape.Size);
        Assert.Equal(outSize, network.OutputShape.Size);
        var probes = new float[count * inSize];
        for (int i = 0; i < probes.Length; i++) probes[i] = reader.ReadSingle();
        var expected = new float[count * outSize];
        for (int i = 0; i < expected.Length; i++) expected[i] = reader.ReadSingle();
        var raw = new float[count * outSize];
        for (int i = 0; i < raw.Length; i++) raw[i] = reader.ReadSingle();
        return (network, probes, expected, raw, writtenWithVector512 == Vector512.IsHardwareAccelerated);
    }

    /// <summary>
    /// Bit for bit on a machine of the writer's vector width. TensorPrimitives' exponentials may round their last
    /// bit differently at another width, so there the outputs must agree to within a few units in the last place.
    /// </summary>
    private static void AssertSame(string name, float[] expected, float[] actual, bool sameVectorWidth)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (sameVectorWidth)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"{name}: output {i} is {actual[i]:R}; the version-1 engine gave {expected[i]:R}.");
            else
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f * Math.Max(1f, Math.Abs(expected[i])),
                    $"{name}: output {i} is {actual[i]:R}; the version-1 engine gave {expected[i]:R} (another vector width).");
        }
    }
}
