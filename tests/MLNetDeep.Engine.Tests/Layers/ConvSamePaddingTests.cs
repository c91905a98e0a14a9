using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Layers;

public sealed class ConvSamePaddingTests
{
    [Theory]
    [InlineData(1, 0), InlineData(3, 1), InlineData(5, 2), InlineData(7, 3)]
    public void SamePaddingKeepsTheImageSizeAtStride1(int kernel, int padding)
    {
        var layer = new Conv2D(4, kernel, ConvPadding.Same);
        Assert.Equal(padding, layer.Padding);
        Assert.Equal(TensorShape.Image(4, 9, 8), layer.Initialize(TensorShape.Image(2, 9, 8), new Rng(1)));
        Assert.Equal(0, new Conv2D(4, kernel, ConvPadding.Valid).Padding);
    }

    [Theory]
    [InlineData(9, 8, 2, 5, 4), InlineData(28, 28, 2, 14, 14), InlineData(7, 7, 3, 3, 3)]
    public void SamePaddingAtStrideSGivesCeilOfTheSizeOverS(int height, int width, int stride, int outHeight, int outWidth) =>
        Assert.Equal(TensorShape.Image(3, outHeight, outWidth), new Conv2D(3, 3, ConvPadding.Same, stride).Initialize(TensorShape.Image(1, height, width), new Rng(1)));

    [Fact]
    public void AnEvenKernelIsRefusedWithSamePadding()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv2D(4, 2, ConvPadding.Same));
        Assert.Equal("kernelSize", e.ParamName);
        Assert.Contains("odd kernel", e.Message);
    }

    [Fact]
    public void TheFileStoresThePaddingAsANumberInTheFormItHadBefore()
    {
        // Same padding is a way to choose the number: the Conv2D record is unchanged, version 1.
        var same = new Network(TensorShape.Image(1, 6, 6), [new Conv2D(2, 3, ConvPadding.Same), new Dense(2)], new MeanSquaredError(), seed: 2);
        var numbered = new Network(TensorShape.Image(1, 6, 6), [new Conv2D(2, 3, padding: 1), new Dense(2)], new MeanSquaredError(), seed: 2);
        Assert.Equal(NetworkSerializer.ToBytes(numbered), NetworkSerializer.ToBytes(same));
        Assert.Equal(1, ((Conv2D)NetworkSerializer.FromBytes(NetworkSerializer.ToBytes(same)).Layers[0]).Padding);
    }
}
