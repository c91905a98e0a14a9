using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>
/// PeriodicEmbedding against hand computations and its definition in double: feature j of a sample becomes
/// (x_j, W_j cos(2π f_j x_j + φ_j) + b_j), laid out side by side a feature.
/// </summary>
public class PeriodicEmbeddingTests
{
    [Fact]
    public void AHandComputedCase()
    {
        // One frequency of 1/4, phase 0, weight 2, bias 0.5: x = 1 gives cos(π/2) = 0, so 0.5; x = 2 gives cos(π) = -1, so -1.5.
        var layer = new PeriodicEmbedding(frequencies: 1, outputs: 1);
        layer.Initialize(TensorShape.Vector(1), new Rng(1));
        layer.Frequency.Value[0] = 0.25f;
        layer.Phase.Value[0] = 0f;
        layer.Weight.Value[0] = 2f;
        layer.Bias.Value[0] = 0.5f;
        var y = layer.Forward(new Tensor([1f, 2f], 2, TensorShape.Vector(1)), training: false).Span.ToArray();
        Assert.Equal(1f, y[0]);
        Assert.Equal(0.5f, y[1], 5);
        Assert.Equal(2f, y[2]);
        Assert.Equal(-1.5f, y[3], 5);
    }

    [Fact]
    public void ForwardEqualsTheDefinitionAndTrainingComputesTheSame()
    {
        const int features = 3, k = 4, m = 2, batch = 5;
        var layer = new PeriodicEmbedding(k, m, sigma: 0.7f);
        layer.Initialize(TensorShape.Vector(features), new Rng(3));
        var rng = new Rng(4);
        for (int i = 0; i < layer.Bias.Length; i++) layer.Bias.Value[i] = rng.NextFloat(-1, 1);
        var x = Enumerable.Range(0, batch * features).Select(_ => rng.NextFloat(-3, 3)).ToArray();
        var y = layer.Forward(new Tensor((float[])x.Clone(), batch, TensorShape.Vector(features)), training: false).Span.ToArray();
        Assert.Equal(batch * features * (1 + m), y.Length);
        for (int r = 0; r < batch; r++)
            for (int j = 0; j < features; j++)
            {
                double v = x[r * features + j];
                int o = (r * features + j) * (1 + m);
                Assert.Equal(v, y[o]);
                for (int e = 0; e < m; e++)
                {
                    double sum = layer.Bias.Value[j * m + e];
                    for (int f = 0; f < k; f++)
                        sum += layer.Weight.Value[(j * m + e) * k + f] * Math.Cos(2 * Math.PI * layer.Frequency.Value[j * k + f] * v + layer.Phase.Value[j * k + f]);
                    Assert.Equal(sum, y[o + 1 + e], 5);
                }
            }
        Assert.Equal(y, layer.Forward(new Tensor((float[])x.Clone(), batch, TensorShape.Vector(features)), training: true).Span.ToArray());
    }

    [Fact]
    public void TheInitialValuesFollowTheirDistributions()
    {
        var layer = new PeriodicEmbedding(frequencies: 16, outputs: 3, sigma: 0.1f);
        layer.Initialize(TensorShape.Vector(200), new Rng(7));
        double sd = Math.Sqrt(layer.Frequency.Value.Average(f => (double)f * f));
        Assert.InRange(sd, 0.095, 0.105); // 3,200 draws of N(0, 0.1²)
        Assert.All(layer.Phase.Value, p => Assert.InRange(p, -MathF.PI, MathF.PI));
        Assert.All(layer.Weight.Value, w => Assert.InRange(w, -0.25f, 0.25f)); // ±1/√16
        Assert.All(layer.Bias.Value, b => Assert.Equal(0f, b));
    }

    [Fact]
    public void TheModelFileKeepsItsSettingsAndValuesBitForBit()
    {
        var network = new Network(TensorShape.Vector(4), [new PeriodicEmbedding(5, 2, 0.3f), new Dense(3)], new SoftmaxCrossEntropy(), seed: 9);
        var loaded = NetworkSerializer.FromBytes(NetworkSerializer.ToBytes(network));
        var embedding = Assert.IsType<PeriodicEmbedding>(loaded.Layers[0]);
        Assert.Equal((5, 2, 0.3f), (embedding.Frequencies, embedding.Outputs, embedding.Sigma));
        Assert.Equal(NetworkSerializer.ToBytes(network), NetworkSerializer.ToBytes(loaded));
        var x = new Tensor([0.5f, -1f, 2f, 0.25f], 1, TensorShape.Vector(4));
        Assert.Equal(network.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
    }

    [Fact]
    public void AnImageInputIsRefused() =>
        Assert.Contains("Flatten it first", Assert.Throws<ArgumentException>(() => new PeriodicEmbedding().Initialize(TensorShape.Image(1, 2, 2), new Rng(1))).Message);

    [Theory, InlineData(0, 3, 0.1f, "frequencies"), InlineData(16, 0, 0.1f, "outputs"), InlineData(16, 3, 0f, "sigma"), InlineData(16, 3, float.NaN, "sigma")]
    public void BadSettingsAreRefused(int frequencies, int outputs, float sigma, string name) =>
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new PeriodicEmbedding(frequencies, outputs, sigma)).ParamName);
}
