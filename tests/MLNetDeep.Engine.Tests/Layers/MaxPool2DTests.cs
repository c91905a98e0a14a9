using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Gradients;

namespace MLNetDeep.Engine.Tests.Layers;

public class MaxPool2DTests
{
    [Theory]
    // channels, height, width, size, stride, batch
    [InlineData(2, 7, 5, 2, 2, 1)]
    [InlineData(2, 7, 5, 2, 2, 3)]
    [InlineData(2, 7, 5, 3, 2, 3)]   // overlapping windows: a pixel can win twice
    [InlineData(3, 6, 8, 3, 1, 3)]
    [InlineData(1, 5, 4, 1, 1, 1)]
    [InlineData(4, 9, 9, 3, 3, 3)]
    [InlineData(3, 6, 20, 2, 2, 3)]  // rows wide enough for whole vectors, and a tail
    [InlineData(2, 5, 17, 2, 2, 1)]  // odd sizes: the last row and column belong to no window
    public void ForwardAndBackwardMatchTheDirectComputation(int channels, int height, int width, int size, int stride, int batch)
    {
        var g = new Direct.Window(channels, height, width, size, stride, 0);
        var pool = new MaxPool2D(size, stride);
        pool.Initialize(TensorShape.Image(channels, height, width), new Rng(1));
        Assert.Equal(TensorShape.Image(channels, g.OutHeight, g.OutWidth), pool.OutputShape);
        var (x, y, dy, dx) = Direct.Pass(pool, batch);
        var (expected, winner) = Direct.MaxPool(g, batch, x);
        Direct.AssertClose("output", Direct.Exact(expected), y.Span);
        Direct.AssertClose("d/dinput", Direct.Exact(Direct.MaxPoolBackward(g, batch, winner, dy)), dx.Span);
    }

    [Fact]
    public void OnATieTheFirstMaximumWins()
    {
        var pool = new MaxPool2D(2);
        pool.Initialize(TensorShape.Image(1, 2, 4), new Rng(1));
        // Window 1 is all equal; window 2 has its maximum twice, at row 0 column 1 and row 1 column 0.
        var x = new Tensor([5, 5, 1, 7, 5, 5, 7, 2], 1, pool.InputShape);
        Assert.Equal([5f, 7f], pool.Forward(x, training: true).Span.ToArray());
        var dx = pool.Backward(new Tensor([10f, 20f], 1, pool.OutputShape));
        Assert.Equal([10f, 0, 0, 20f, 0, 0, 0, 0], dx.Span.ToArray());
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public void WithManyTiesTheFirstMaximumInRowMajorOrderWins(int size, int stride)
    {
        // Values from {0, 1, 2}: most windows hold their maximum more than once.
        var g = new Direct.Window(3, 8, 22, size, stride, 0);
        var pool = new MaxPool2D(size, stride);
        pool.Initialize(TensorShape.Image(3, 8, 22), new Rng(1));
        var rng = new Rng(8);
        var x = Enumerable.Range(0, 2 * g.ImageSize).Select(_ => (float)rng.NextInt(3)).ToArray();
        var y = pool.Forward(new Tensor(x, 2, pool.InputShape), training: true);
        var dy = Direct.Random(y.Length, 6);
        var dx = pool.Backward(new Tensor(dy, 2, pool.OutputShape));
        var (expected, winner) = Direct.MaxPool(g, 2, x);
        Direct.AssertClose("output", Direct.Exact(expected), y.Span);
        Direct.AssertClose("d/dinput", Direct.Exact(Direct.MaxPoolBackward(g, 2, winner, dy)), dx.Span);
    }

    [Fact]
    public void DefaultStrideIsTheWindowSize()
    {
        var pool = new MaxPool2D(3);
        Assert.Equal(3, pool.Stride);
        Assert.Equal(TensorShape.Image(2, 3, 2), pool.Initialize(TensorShape.Image(2, 10, 8), new Rng(1)));
    }

    public static TheoryData<int> Batches => new() { 1, 3 };

    [Theory, MemberData(nameof(Batches))]
    public void PassesTheGradientCheck(int batch)
    {
        // Distinct inputs spaced 0.1 apart (> 2h) so that no perturbation changes a window's winner.
        var shape = TensorShape.Image(2, 7, 5);
        var values = Enumerable.Range(0, shape.Size * batch).Select(i => (i - shape.Size * batch / 2) * 0.1f).ToArray();
        var order = Enumerable.Range(0, values.Length).ToArray();
        new Rng(5).Shuffle(order);
        int next = 0;
        GradientCheck.Layer(new MaxPool2D(3, 2), shape, batch, draw: _ => values[order[next++ % values.Length]]);
    }

    [Fact]
    public void AVectorInputIsRejectedWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new MaxPool2D(2).Initialize(TensorShape.Vector(784), new Rng(1)));
        Assert.StartsWith("MaxPool2D(2) needs an image input [C, H, W]; got [784]", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MaxPool2D(3, 1).Initialize(TensorShape.Image(4, 2, 5), new Rng(1)));
        Assert.StartsWith("MaxPool2D(3, stride 1) needs an image of at least 3x3 pixels; got [4, 2, 5]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2D(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2D(2, 0));
    }

    [Fact]
    public void ATrainingStepAllocatesNothingOnceWarm()
    {
        var pool = new MaxPool2D(2);
        pool.Initialize(TensorShape.Image(3, 8, 6), new Rng(1));
        Direct.AssertTrainingStepAllocatesNothing(pool, 4);
    }
}
