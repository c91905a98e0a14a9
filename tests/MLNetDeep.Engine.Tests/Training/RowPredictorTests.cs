using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Kernels;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>
/// RowPredictor must give, for a sample alone, exactly the bits Network.Predict gives for that sample
/// inside a batch (a PredictionEngine and a Transform must agree), on every GEMM path.
/// </summary>
[Collection(nameof(KernelSettingsCollection))]
public sealed class RowPredictorTests
{
    public static TheoryData<GemmPath> Paths() =>
        new(Enum.GetValues<GemmPath>().Where(ComputeContext.IsSupported));

    public static Network Mlp() => new(TensorShape.Vector(700),
        // k = 700: three blocks of k; 300 units: two full panels and a partial one on any path.
        [new Dense(300, Initializer.HeNormal), new Relu(), new Dropout(0.3f), new Dense(129), new Tanh(), new Dense(10)],
        new SoftmaxCrossEntropy(), seed: 4);

    public static Network Cnn() => new(TensorShape.Image(2, 12, 12),
        [new Conv2D(6, 3, padding: 1), new Relu(), new MaxPool2D(2), new Dense(40), new Relu(), new Dense(3)],
        new SoftmaxCrossEntropy(), seed: 5);

    // Small enough for the GEMM's small path: 5 x 8 and 3 x 5 products. (Softmax, not a sigmoid
    // output: TensorPrimitives' sigmoid may round a span of 2 unlike the same values in a long span.)
    public static Network Tiny() => new(TensorShape.Vector(8), [new Dense(5), new Sigmoid(), new Dense(3)], new SoftmaxCrossEntropy(), seed: 6);

    /// <summary>Residual blocks, one with a projection, nested in a Sequential: the containers' row steps.</summary>
    public static Network ResidualMlp() => new(TensorShape.Vector(40),
        [new Dense(32), new Relu(), new Residual(new Dense(32), new Relu(), new Dense(32)),
         new Sequential(new Residual(new Dense(24), new Tanh()), new Relu()), new Dense(4)],
        new SoftmaxCrossEntropy(), seed: 7);

    /// <summary>BatchNorm folded into the Dense and the Conv2D before it, LayerNorm, same padding, global pooling, GELU: the folded row steps.</summary>
    public static Network Normalized()
    {
        var network = new Network(TensorShape.Image(2, 10, 10),
            [new Conv2D(6, 3, ConvPadding.Same), new BatchNorm(), new Relu(), new LayerNorm(), new GlobalAveragePool2D(), new Dense(40), new BatchNorm(),
             new Gelu(), new Residual(new Dense(40), new BatchNorm()), new Dense(3)],
            new SoftmaxCrossEntropy(), seed: 8);
        var rng = new Rng(3);
        foreach (var b in network.Buffers) for (int i = 0; i < b.Length; i++) b.Value[i] = rng.NextFloat(0.2f, 2f);
        return network;
    }

    /// <summary>An ensemble of three MLPs between scaling layers: the ensemble's row step, each member on its own copy of the row.</summary>
    public static Network EnsembleMlp() => new(TensorShape.Vector(40),
        [new FeatureScaling(clip: 3f), new Ensemble(new Sequential(new Dense(24), new Relu(), new Dense(4)),
             new Sequential(new Residual(new Dense(16), new Relu()), new Dense(4)), new Dense(4)), new FeatureScaling()],
        new SoftmaxCrossEntropy(), seed: 9);

    /// <summary>
    /// Layers narrower than a full panel of 8 vectors, above the small path's size: 10, 24 and 60 outputs of 300 inputs
    /// take panels of 1, 2 and 4 vectors on the 512-bit path (2, 4 and 8 on the 256-bit one).
    /// </summary>
    public static IEnumerable<Network> Narrow() =>
    [
        new(TensorShape.Vector(300), [new Dense(300), new Relu(), new Dense(10)], new SoftmaxCrossEntropy(), seed: 10),
        new(TensorShape.Vector(300), [new Dense(24), new Tanh(), new Dense(3)], new SoftmaxCrossEntropy(), seed: 11),
        new(TensorShape.Vector(300), [new Dense(60), new Relu(), new Dense(3)], new SoftmaxCrossEntropy(), seed: 12),
    ];

    private static float[] Inputs(Network network, int batch, ulong seed)
    {
        // A third of them zero (some -0), as background pixels are: RowPredictor skips zero inputs.
        var rng = new Rng(seed);
        return Enumerable.Range(0, batch * network.InputShape.Size)
            .Select(i => i % 3 == 0 ? (i % 2 == 0 ? 0f : -0f) : rng.NextFloat(-1, 1)).ToArray();
    }

    [Theory, MemberData(nameof(Paths))]
    public void OneSampleGetsTheBitsItGetsInABatch(GemmPath path)
    {
        var compute = ComputeContext.Create(0, path);
        foreach (var network in new[] { Mlp(), Cnn(), Tiny(), ResidualMlp(), Normalized(), EnsembleMlp() }.Concat(Narrow()))
        {
            const int batch = 37;
            int inSize = network.InputShape.Size, outSize = network.OutputShape.Size;
            var inputs = Inputs(network, batch, 9);
            var expected = new float[batch * outSize];
            network.Predict(inputs, batch, expected, compute: compute);
            var raw = new float[batch * outSize];
            network.Predict(inputs, batch, raw, activate: false, compute);

            var predictor = new RowPredictor(network, compute);
            var output = new float[outSize];
            for (int i = 0; i < batch; i++)
            {
                predictor.Predict(inputs.AsSpan(i * inSize, inSize), output);
                Assert.Equal(expected.AsSpan(i * outSize, outSize).ToArray(), output);
                predictor.Predict(inputs.AsSpan(i * inSize, inSize), output, activate: false);
                Assert.Equal(raw.AsSpan(i * outSize, outSize).ToArray(), output);
            }
        }
    }

    [Fact]
    public void NonZeroInputsAreListedInOrderWithTheirValues()
    {
        // Every length from 0 to 70 (the 16-lane loop, its tail, and both), with zeros, negative zeros, NaN,
        // infinities and a subnormal among the values: only +0 and -0 are left out.
        float[] pool = [0f, -0f, 1.5f, float.NaN, float.PositiveInfinity, -2f, 1e-45f, 0f, float.NegativeInfinity, 3f, -0f];
        var rng = new Rng(5);
        for (int length = 0; length <= 70; length++)
        {
            var x = Enumerable.Range(0, length).Select(_ => pool[rng.NextInt(pool.Length)]).ToArray();
            var index = new int[length];
            var value = new float[length];
            int count = RowWeights.NonZeros(x, index, value);
            int[] expected = Enumerable.Range(0, length).Where(p => !(x[p] == 0f)).ToArray();
            Assert.Equal(expected.Length, count);
            Assert.Equal(expected, index[..count]);
            Assert.Equal(expected.Select(p => BitConverter.SingleToInt32Bits(x[p])), value[..count].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void LargeLayersSharedAmongThreadsGiveTheSameBits()
    {
        // 700 x 300 multiply-adds a row is above RowWeights.ParallelThreshold: its panels go to the pool.
        var network = Mlp();
        var input = Inputs(network, 1, 11);
        var outputs = new List<float[]>();
        foreach (int threads in new[] { 1, 2 })
        {
            var compute = ComputeContext.Create(threads);
            long before = compute.Pool.Runs;
            var output = new float[10];
            new RowPredictor(network, compute).Predict(input, output);
            Assert.Equal(threads == 1 ? 0 : 1, compute.Pool.Runs - before); // the first layer only
            outputs.Add(output);
        }
        Assert.Equal(outputs[0], outputs[1]);
    }

    [Fact]
    public void ThePredictorIsASnapshot()
    {
        var network = Mlp();
        var input = Inputs(network, 1, 3);
        var before = new float[10];
        network.Predict(input, 1, before);
        var predictor = new RowPredictor(network);
        foreach (var p in network.Parameters) Array.Fill(p.Value, 0.5f);
        var output = new float[10];
        predictor.Predict(input, output);
        Assert.Equal(before, output);
    }

    [Fact]
    public void APredictionAllocatesNothing()
    {
        var network = Cnn();
        var predictor = new RowPredictor(network);
        var input = Inputs(network, 1, 2);
        var output = new float[3];
        AllocationCheck.AssertNone(() => predictor.Predict(input, output));
    }

    [Fact]
    public void WrongSizesAreRejected()
    {
        var predictor = new RowPredictor(Tiny());
        Assert.Throws<ArgumentException>(() => predictor.Predict(new float[7], new float[3]));
        Assert.Throws<ArgumentException>(() => predictor.Predict(new float[8], new float[2]));
    }
}
