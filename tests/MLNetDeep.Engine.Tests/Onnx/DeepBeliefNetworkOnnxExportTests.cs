using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Onnx;

/// <summary>A deep belief network exported as a featurizer: ONNX Runtime's features are those of <see cref="DeepBeliefNetwork.Transform"/>.</summary>
public sealed class DeepBeliefNetworkOnnxExportTests
{
    [Fact]
    public void OnnxRuntimeGivesTheStacksFeatures()
    {
        const int rows = 100;
        var network = new DeepBeliefNetwork([new GaussianBernoulliRbm(12, 8, seed: 2), new BernoulliRbm(8, 5, seed: 3)]);
        var rng = new Rng(21);
        foreach (var rbm in network.Layers)
        {
            for (int i = 0; i < rbm.Weight.Length; i++) rbm.Weight.Value[i] = rng.NextFloat(-1, 1);
            for (int i = 0; i < rbm.HiddenBias.Length; i++) rbm.HiddenBias.Value[i] = rng.NextFloat(-1, 1);
        }
        var inputs = NetworkOnnxExportTests.RandomInputs(rows * 12, seed: 4);
        var expected = new float[rows * 5];
        network.Transform(inputs, rows, expected);
        using var stream = new MemoryStream();
        network.ExportOnnx(stream);

        using var session = OnnxRuntimeHost.Load(stream.ToArray(), out var warnings);
        var actual = OnnxRuntimeHost.Score(session, inputs, rows, [12]);

        Assert.Empty(warnings);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"feature {i}: {expected[i]} against {actual[i]}");
    }
}
