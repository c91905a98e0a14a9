using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Gradients;

namespace MLNetDeep.Engine.Tests.Layers;

public class AveragePool2DTests
{
    [Theory]
    // channels, height, width, size, stride, batch
    [InlineData(2, 7, 5, 2, 2, 1)]
    [InlineData(2, 7, 5, 2, 2, 3)]
    [InlineData(2, 7, 5, 3, 2, 3)]   // overlapping windows
    [InlineData(3, 6, 8, 3, 1, 3)]
    [InlineData(4, 9, 9, 3, 3, 1)]
    public void ForwardAndBackwardMatchTheDirectComputation(int channels, int height, int width, int size, int stride, int batch)
    {
        var g = new Direct.Window(channels, height, width, size, stride, 0);
        var pool = new AveragePool2D(size, stride);
        pool.Initialize(TensorShape.Image(channels, height, width), new Rng(1));
        Assert.Equal(TensorShape.Image(channels, g.OutHeight, g.OutWidth), pool.OutputShape);
        var (x, y, dy, dx) = Direct.Pass(pool, batch);
        Direct.AssertClose("output", Direct.AveragePool(g, batch, x), y.Span);
        Direct.AssertClose("d/dinput", Direct.AveragePoolBackward(g, batch, dy), dx.Span);
    }

    public static TheoryData<int> Batches => new() { 1, 3 };

    [Theory, MemberData(nameof(Batches))]
    public void PassesTheGradientCheck(int batch) => GradientCheck.Layer(new AveragePool2D(3, 2), TensorShape.Image(2, 7, 5), batch);

    [Fact]
    public void AVectorInputIsRejectedWithAClearMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new AveragePool2D(2).Initialize(TensorShape.Vector(10), new Rng(1)));
        Assert.StartsWith("AveragePool2D(2) needs an image input [C, H, W]; got [10]", e.Message);
    }
}
