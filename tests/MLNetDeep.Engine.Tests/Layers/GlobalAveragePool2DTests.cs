using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Layers;

public sealed class GlobalAveragePool2DTests
{
    [Fact]
    public void EachChannelBecomesItsMeanAndShareItsGradientEqually()
    {
        // Two images of two 2x3 channels: the values 0..23, so each channel's mean is its middle value.
        var layer = new GlobalAveragePool2D();
        Assert.Equal(TensorShape.Vector(2), layer.Initialize(TensorShape.Image(2, 2, 3), new Rng(1)));
        var x = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        var y = layer.Forward(new Tensor(x, 2, TensorShape.Image(2, 2, 3)), training: true).Span.ToArray();
        Assert.Equal([2.5f, 8.5f, 14.5f, 20.5f], y);

        var dx = layer.Backward(new Tensor([6f, 12f, -3f, 0f], 2, TensorShape.Vector(2))).Span.ToArray();
        Assert.Equal([.. Enumerable.Repeat(1f, 6), .. Enumerable.Repeat(2f, 6), .. Enumerable.Repeat(-0.5f, 6), .. Enumerable.Repeat(0f, 6)], dx);
    }

    [Fact]
    public void AVectorInputIsRefusedByShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new GlobalAveragePool2D().Initialize(TensorShape.Vector(12), new Rng(1)));
        Assert.Contains("[C, H, W]", e.Message);
    }
}
