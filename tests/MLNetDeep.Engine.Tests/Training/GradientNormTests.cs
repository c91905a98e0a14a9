using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>
/// The gradient norms of the epoch report, which the optimizer's pass sums while it reads the gradients (or, with
/// clipping, a pass of their own before the clip), against the norm of the gradient computed here from a copy of the
/// network in plain double arithmetic; and the same figures for one thread and two.
/// </summary>
public sealed class GradientNormTests
{
    private const int Samples = 96, Inputs = 300;

    private static (InMemoryDataset Data, float[] X, float[] Y) Data()
    {
        var rng = new Rng(31);
        var x = Enumerable.Range(0, Samples * Inputs).Select(_ => rng.NextFloat(-1, 1)).ToArray();
        var y = Enumerable.Range(0, Samples).Select(i => (float)(i % 4)).ToArray();
        return (new InMemoryDataset(x, y, TensorShape.Vector(Inputs)), x, y);
    }

    // 300 x 256 weights: enough values that the optimizer splits its pass into ranges, and over threads.
    private static Network Mlp() =>
        new(TensorShape.Vector(Inputs), [new Dense(256), new Relu(), new Dense(64), new Tanh(), new Dense(4)], new SoftmaxCrossEntropy(), seed: 3);

    /// <summary>Each weighted layer's weight-gradient norm for one full batch of the data, in double, from a copy of the network.</summary>
    private static double[] ExpectedNorms(Network network, float[] x, float[] y)
    {
        var copy = NetworkSerializer.FromBytes(NetworkSerializer.ToBytes(network));
        var output = copy.Forward(new Tensor(x, Samples, TensorShape.Vector(Inputs)), training: true);
        var gradient = new Tensor(Samples, output.SampleShape);
        copy.Loss.Compute(output, y, gradient);
        copy.Backward(gradient);
        return copy.AllLayers.OfType<Dense>()
            .Select(d => Math.Sqrt(d.Weight.Gradient.Sum(g => (double)g * g)))
            .ToArray();
    }

    private static EpochReport OneStep(Network network, InMemoryDataset data, int threads, float clip)
    {
        var options = new TrainerOptions { Epochs = 1, BatchSize = Samples, Shuffle = false, Threads = threads, GradientClipNorm = clip };
        return new NetworkTrainer(network, new Adam(1e-3f), options).Fit(data).History[0];
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1e-3f)] // clips: the report gives the norms before the clip
    public void TheReportedNormsAreThoseOfTheGradients(float clip)
    {
        var (data, x, y) = Data();
        var network = Mlp();
        double[] expected = ExpectedNorms(network, x, y);
        var report = OneStep(network, data, threads: 2, clip);
        Assert.Equal(expected.Length, report.GradientNorms.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] > 0);
            Assert.True(Math.Abs(report.GradientNorms[i] - expected[i]) <= 1e-5 * expected[i],
                $"layer {i}: reported {report.GradientNorms[i]:R}, expected {expected[i]:R}");
        }
    }

    [Fact]
    public void OneThreadAndTwoReportTheSameNorms()
    {
        var (data, _, _) = Data();
        var one = OneStep(Mlp(), data, threads: 1, clip: 0f);
        var two = OneStep(Mlp(), data, threads: 2, clip: 0f);
        Assert.Equal(one.GradientNorms, two.GradientNorms);
    }
}
