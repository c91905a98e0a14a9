using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Gradients;

namespace MLNetDeep.Engine.Tests.Layers;

public class Conv2DTests
{
    /// <summary>A layer on a fresh input shape, with non-zero biases so that their addition is tested too.</summary>
    internal static Conv2D Build(Direct.Window g, int filters)
    {
        var conv = new Conv2D(filters, g.Kernel, g.Stride, g.Padding);
        conv.Initialize(TensorShape.Image(g.Channels, g.Height, g.Width), new Rng(3));
        Direct.Random(filters, 4).CopyTo(conv.Bias.Value, 0);
        return conv;
    }

    [Theory]
    [InlineData(GemmPath.Portable)]
    [InlineData(GemmPath.Vector256)]
    [InlineData(GemmPath.Vector512)]
    public void WinogradsPathMatchesTheDirectComputationOnEveryGemmPath(GemmPath path)
    {
        // A path the processor cannot run is not asked for, as in GemmTests.
        if (!ComputeContext.IsSupported(path)) return;
        // 9 channels and 13 filters of 7 x 5 (odd sides, vector tails), 6 images: a group of four and a short one.
        var g = new Direct.Window(9, 7, 5, 3, 1, 1);
        var conv = Build(g, 13);
        var (x, y, dy, dx) = Direct.Pass(conv, 6, ComputeContext.Create(2, path));
        Direct.AssertClose("output", Direct.ConvForward(g, 13, 6, x, conv.Weight.Value, conv.Bias.Value), y.Span);
        var (input, weight, bias) = Direct.ConvBackward(g, 13, 6, x, conv.Weight.Value, dy);
        Direct.AssertClose("d/dinput", input, dx.Span);
        Direct.AssertClose("d/dweight", weight, conv.Weight.Gradient);
        Direct.AssertClose("d/dbias", bias, conv.Bias.Gradient);
    }

    [Theory]
    // channels, height, width, filters, kernel, stride, padding, batch
    [InlineData(2, 7, 5, 3, 3, 1, 0, 1)]
    [InlineData(2, 7, 5, 3, 3, 1, 1, 3)]
    [InlineData(2, 7, 5, 3, 3, 2, 1, 3)]
    [InlineData(2, 7, 5, 3, 3, 2, 0, 1)]
    [InlineData(3, 6, 9, 4, 2, 2, 0, 3)]
    [InlineData(1, 5, 5, 2, 5, 1, 2, 3)]
    [InlineData(4, 3, 4, 5, 1, 1, 0, 3)]
    [InlineData(2, 4, 6, 3, 3, 3, 2, 3)]
    // 16 channels of 32 x 32: 9 images make three backward groups, the last one short.
    [InlineData(16, 32, 32, 4, 3, 1, 1, 9)]
    // More filters than taps: the weight gradient is computed transposed, here in three groups.
    [InlineData(1, 6, 7, 12, 3, 1, 1, 9)]
    // Winograd's F(2x2, 3x3) (3x3, stride 1, padding 1, at least 8 channels and filters), forward and for both
    // gradients: even sides; odd sides and channels and filters that leave a vector's tail; the CNN's second layer.
    [InlineData(8, 6, 6, 8, 3, 1, 1, 5)]
    [InlineData(9, 7, 5, 13, 3, 1, 1, 9)]
    [InlineData(32, 14, 14, 64, 3, 1, 1, 5)]
    // 28 x 28 has tiles enough for a product of its own: one image a product.
    [InlineData(8, 28, 28, 8, 3, 1, 1, 3)]
    // More filters than taps (80 > 72): the weight gradient by Winograd written transposed, in two groups.
    [InlineData(8, 6, 6, 80, 3, 1, 1, 5)]
    public void ForwardAndBackwardMatchTheDirectComputation(int channels, int height, int width, int filters, int kernel, int stride, int padding, int batch)
    {
        var g = new Direct.Window(channels, height, width, kernel, stride, padding);
        var conv = Build(g, filters);
        Assert.Equal(TensorShape.Image(filters, g.OutHeight, g.OutWidth), conv.OutputShape);
        var (x, y, dy, dx) = Direct.Pass(conv, batch);
        Direct.AssertClose("output", Direct.ConvForward(g, filters, batch, x, conv.Weight.Value, conv.Bias.Value), y.Span);
        var (input, weight, bias) = Direct.ConvBackward(g, filters, batch, x, conv.Weight.Value, dy);
        Direct.AssertClose("d/dinput", input, dx.Span);
        Direct.AssertClose("d/dweight", weight, conv.Weight.Gradient);
        Direct.AssertClose("d/dbias", bias, conv.Bias.Gradient);
    }

    [Fact]
    public void WithoutInputGradientTheParameterGradientsAreTheSame()
    {
        var g = new Direct.Window(2, 7, 5, 3, 2, 1);
        var conv = Build(g, 3);
        conv.ComputeInputGradient = false;
        var (x, _, dy, _) = Direct.Pass(conv, 3);
        var (_, weight, bias) = Direct.ConvBackward(g, 3, 3, x, conv.Weight.Value, dy);
        Direct.AssertClose("d/dweight", weight, conv.Weight.Gradient);
        Direct.AssertClose("d/dbias", bias, conv.Bias.Gradient);
    }

    public static TheoryData<int> Batches => new() { 1, 3 };

    [Theory, MemberData(nameof(Batches))]
    public void PassesTheGradientCheck(int batch) =>
        GradientCheck.Layer(new Conv2D(3, 3, padding: 1), TensorShape.Image(2, 7, 5), batch);

    [Theory, MemberData(nameof(Batches))]
    public void PassesTheGradientCheckWithStride(int batch) =>
        GradientCheck.Layer(new Conv2D(4, 2, stride: 2), TensorShape.Image(3, 5, 6), batch);

    [Theory, MemberData(nameof(Batches))]
    public void ASmallNetworkPassesTheGradientCheck(int batch)
    {
        // Smooth pieces only (tanh, average pooling), so no perturbation crosses a kink.
        var network = new Network(TensorShape.Image(2, 6, 5),
            [new Conv2D(3, 3, padding: 1), new Tanh(), new AveragePool2D(2), new Conv2D(2, 2, stride: 1), new Flatten(), new Dense(3)],
            new SoftmaxCrossEntropy(), seed: 11);
        var x = new Tensor(Direct.Random(batch * 60, 2), batch, network.InputShape);
        var labels = Enumerable.Range(0, batch).Select(i => (float)(i % 3)).ToArray();
        GradientCheck.Network(network, x, labels);
    }

    [Fact]
    public void HeNormalInitialisationUsesTheFanIn()
    {
        // 64 filters over 32 channels of 3 x 3: fan-in 288, so std sqrt(2 / 288) = 0.0833.
        var conv = new Conv2D(64, 3);
        conv.Initialize(TensorShape.Image(32, 8, 8), new Rng(1));
        double std = Math.Sqrt(conv.Weight.Value.Average(v => (double)v * v));
        Assert.InRange(std, 0.0833 * 0.97, 0.0833 * 1.03); // 18,432 draws: the sample std's standard error is 0.5%
        Assert.All(conv.Bias.Value, b => Assert.Equal(0f, b));
        Assert.Equal((64, 288), (conv.Weight.Rows, conv.Weight.Cols));
    }

    [Fact]
    public void AVectorInputIsRejectedWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv2D(32, 3).Initialize(TensorShape.Vector(784), new Rng(1)));
        Assert.StartsWith("Conv2D(32, 3) needs an image input [C, H, W]; got [784]", e.Message);
    }

    [Fact]
    public void AKernelLargerThanThePaddedImageIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv2D(8, 5, padding: 1).Initialize(TensorShape.Image(1, 2, 9), new Rng(1)));
        Assert.StartsWith("Conv2D(8, 5, padding 1) needs an image of at least 5x5 pixels with padding 1; got [1, 2, 9]", e.Message);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(4, 3, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2D(4, 3, padding: -1));
    }

    [Fact]
    public void ATrainingStepAllocatesNothingOnceWarm() => Direct.AssertTrainingStepAllocatesNothing(Build(new Direct.Window(3, 12, 10, 3, 1, 1), 4), 5);
}
