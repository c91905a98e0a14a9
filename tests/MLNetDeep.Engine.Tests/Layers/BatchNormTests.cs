using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>
/// BatchNorm against <see cref="NormalizationReference"/> (double precision): batch statistics, normalisation, scale and
/// shift, and the backward pass; the running statistics against the momentum formula; inference with them; and the
/// fold into the Dense or Conv2D before it against the unfolded network.
/// </summary>
public sealed class BatchNormTests
{
    private static float[] Draw(int count, Rng rng, float low = -2, float high = 3) => Enumerable.Range(0, count).Select(_ => rng.NextFloat(low, high)).ToArray();

    /// <summary>The indices of channel c's values in a batch [N, C, S]: all samples, all pixels.</summary>
    private static int[][] Channels(int n, int c, int s) =>
        [.. Enumerable.Range(0, c).Select(ch => Enumerable.Range(0, n).SelectMany(r => Enumerable.Range((r * c + ch) * s, s)).ToArray())];

    public static TheoryData<int, int[]> Shapes() => new()
    {
        { 3, [5] }, { 4, [6] }, { 3, [2, 3, 4] }, { 5, [3, 2, 2] },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void TrainingForwardAndBackwardEqualTheDoublePrecisionReference(int batch, int[] dims)
    {
        var shape = new TensorShape(dims);
        var layer = new BatchNorm();
        layer.Initialize(shape, new Rng(1));
        var rng = new Rng(2);
        Draw(layer.Gamma.Length, rng, 0.5f, 2f).CopyTo(layer.Gamma.Value, 0);
        Draw(layer.Beta.Length, rng, -1f, 1f).CopyTo(layer.Beta.Value, 0);
        var x = Draw(batch * shape.Size, rng);
        var dy = Draw(x.Length, rng, -1f, 1f);
        int channels = dims[0], pixels = shape.Size / channels;

        var y = layer.Forward(new Tensor((float[])x.Clone(), batch, shape), training: true).Span.ToArray();
        var dx = layer.Backward(new Tensor(dy, batch, shape)).Span.ToArray();

        var groups = Channels(batch, channels, pixels);
        var reference = NormalizationReference.Normalize(x, dy, groups, (g, _) => layer.Gamma.Value[g], (g, _) => layer.Beta.Value[g], 1e-5);
        NormalizationReference.AssertClose(reference.Y, y, 2e-6, "y");
        NormalizationReference.AssertClose(reference.Dx, dx, 2e-5, "dx");
        for (int ch = 0; ch < channels; ch++)
        {
            // dγ = Σ dy x̂ and dβ = Σ dy over the channel's values.
            double sigma = Math.Sqrt(reference.Variance[ch] + 1e-5);
            double dgamma = groups[ch].Sum(i => dy[i] * (x[i] - reference.Mean[ch]) / sigma), dbeta = groups[ch].Sum(i => (double)dy[i]);
            Assert.True(Math.Abs(layer.Gamma.Gradient[ch] - dgamma) <= 1e-5 * Math.Max(1, Math.Abs(dgamma)), $"dgamma[{ch}]: {layer.Gamma.Gradient[ch]}, reference {dgamma}");
            Assert.True(Math.Abs(layer.Beta.Gradient[ch] - dbeta) <= 1e-5 * Math.Max(1, Math.Abs(dbeta)), $"dbeta[{ch}]: {layer.Beta.Gradient[ch]}, reference {dbeta}");
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void RunningStatisticsFollowTheMomentumFormulaAndInferenceUsesThem(int batch, int[] dims)
    {
        const double momentum = 0.3, epsilon = 1e-3;
        var shape = new TensorShape(dims);
        var layer = new BatchNorm((float)momentum, (float)epsilon);
        layer.Initialize(shape, new Rng(1));
        int channels = dims[0], pixels = shape.Size / channels, count = batch * pixels;
        var groups = Channels(batch, channels, pixels);
        var runningMean = new double[channels];
        var runningVariance = Enumerable.Repeat(1.0, channels).ToArray();
        var rng = new Rng(3);
        for (int step = 0; step < 6; step++)
        {
            var x = Draw(batch * shape.Size, rng, -1f + step, 2f + 2 * step);
            layer.Forward(new Tensor(x, batch, shape), training: true);
            for (int ch = 0; ch < channels; ch++)
            {
                double mean = groups[ch].Average(i => (double)x[i]);
                double unbiased = groups[ch].Sum(i => (x[i] - mean) * (x[i] - mean)) / (count - 1);
                runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean;
                runningVariance[ch] = (1 - momentum) * runningVariance[ch] + momentum * unbiased;
            }
        }
        NormalizationReference.AssertClose(runningMean, layer.RunningMean.Value, 1e-5, "running mean");
        NormalizationReference.AssertClose(runningVariance, layer.RunningVariance.Value, 1e-5, "running variance");

        Draw(channels, rng, 0.5f, 2f).CopyTo(layer.Gamma.Value, 0);
        Draw(channels, rng, -1f, 1f).CopyTo(layer.Beta.Value, 0);
        var input = Draw(batch * shape.Size, rng);
        var y = layer.Forward(new Tensor((float[])input.Clone(), batch, shape), training: false).Span.ToArray();
        var expected = new double[input.Length];
        for (int ch = 0; ch < channels; ch++)
            foreach (int i in groups[ch])
                expected[i] = layer.Gamma.Value[ch] * (input[i] - runningMean[ch]) / Math.Sqrt(runningVariance[ch] + epsilon) + layer.Beta.Value[ch];
        NormalizationReference.AssertClose(expected, y, 1e-5, "inference y");
        // Inference leaves the running statistics alone.
        NormalizationReference.AssertClose(runningMean, layer.RunningMean.Value, 1e-5, "running mean after inference");
    }

    [Fact]
    public void OneSamplePerFeatureGivesBetaAndKeepsTheRunningVariance()
    {
        var layer = new BatchNorm();
        layer.Initialize(TensorShape.Vector(3), new Rng(1));
        layer.Beta.Value[1] = 0.25f;
        var y = layer.Forward(new Tensor([1f, 2f, -3f], 1, TensorShape.Vector(3)), training: true).Span.ToArray();
        Assert.Equal([0f, 0.25f, 0f], y);
        Assert.Equal([1f, 1f, 1f], layer.RunningVariance.Value);
        Assert.Equal([0.1f, 0.2f, -0.3f], layer.RunningMean.Value.Select(v => MathF.Round(v, 6)));
    }

    public static TheoryData<string> FoldedNetworks() => [nameof(DenseNetwork), nameof(ConvNetwork)];

    private static Network DenseNetwork(bool fuse) => new(TensorShape.Vector(20),
        [new Dense(16), new BatchNorm(), new Relu(), new Residual(new Dense(16), new BatchNorm()), new Dense(12), new BatchNorm(), new Gelu(), new Dense(4)],
        new SoftmaxCrossEntropy(), seed: 9, fuseLayers: fuse);

    private static Network ConvNetwork(bool fuse) => new(TensorShape.Image(2, 8, 7),
        [new Conv2D(4, 3, ConvPadding.Same), new BatchNorm(), new Relu(), new Conv2D(5, 3, stride: 2), new BatchNorm(), new Silu(),
         new GlobalAveragePool2D(), new Dense(3)],
        new SoftmaxCrossEntropy(), seed: 9, fuseLayers: fuse);

    private static Network Make(string name, bool fuse) => name == nameof(DenseNetwork) ? DenseNetwork(fuse) : ConvNetwork(fuse);

    private static (float[] X, float[] Y) Data(Network network, int rows)
    {
        var rng = new Rng(11);
        var x = Draw(rows * network.InputShape.Size, rng, -1f, 2f);
        var y = Enumerable.Range(0, rows).Select(i => (float)(i % network.OutputShape.Size)).ToArray();
        return (x, y);
    }

    [Theory, MemberData(nameof(FoldedNetworks))]
    public void FoldedNetworkTrainsWithTheSameBitsAndPredictsTheUnfoldedWithin1e5(string name)
    {
        var folded = Make(name, fuse: true);
        var unfolded = Make(name, fuse: false);
        Assert.Contains(folded.AllLayers.OfType<BatchNorm>(), b => b.FoldedInto is not null);
        Assert.All(unfolded.AllLayers.OfType<BatchNorm>(), b => Assert.Null(b.FoldedInto));
        var (x, y) = Data(folded, 96);
        foreach (var network in new[] { folded, unfolded })
            new NetworkTrainer(network, new Adam(1e-2f), new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 4, Threads = 1 })
                .Fit(new InMemoryDataset(x, y, network.InputShape));
        // Training is never folded: the same weights and running statistics, bit for bit.
        Assert.Equal(NetworkSerializer.ToBytes(unfolded), NetworkSerializer.ToBytes(folded));
        Assert.Contains(folded.AllLayers.OfType<BatchNorm>(), b => b.RunningMean.Value.Any(v => v != 0));

        int rows = 40, outputs = folded.OutputShape.Size;
        var inputs = Draw(rows * folded.InputShape.Size, new Rng(12), -1f, 2f);
        float[] expected = new float[rows * outputs], actual = new float[rows * outputs];
        unfolded.Predict(inputs, rows, expected, activate: false);
        folded.Predict(inputs, rows, actual, activate: false);
        Assert.NotEqual(expected, actual); // the fold did run: it rounds differently
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1, Math.Abs(expected[i])), $"output {i}: unfolded {expected[i]:R}, folded {actual[i]:R}");

        // A sample alone in a one-row predictor gets the folded batch's bits.
        var predictor = new RowPredictor(folded);
        var one = new float[outputs];
        for (int r = 0; r < rows; r++)
        {
            predictor.Predict(inputs.AsSpan(r * folded.InputShape.Size, folded.InputShape.Size), one, activate: false);
            Assert.Equal(actual.AsSpan(r * outputs, outputs).ToArray(), one);
        }
    }

    [Fact]
    public void BadSettingsAndShapesAreRefusedByName()
    {
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(momentum: 1.5f)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(epsilon: 0f)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm().Initialize(new TensorShape(3, 4), new Rng(1)));
        Assert.Contains("[3, 4]", e.Message);
    }
}
