using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Tests.Kernels;

/// <summary>
/// Which convolutions take Winograd's F(2x2, 3x3), and its transforms against a hand computation. Its results
/// against the direct convolution are in Conv2DTests, its bits across thread counts in ImageKernelTests, with a
/// max pooling fused in ConvPoolFusionTests, its gradient in RegisteredLayerGradientTests.
/// </summary>
public sealed class WinogradTests
{
    [Theory]
    [InlineData(8, 8, 8, 3, 1, 1, true)]
    [InlineData(32, 14, 64, 3, 1, 1, true)]
    [InlineData(1, 28, 32, 3, 1, 1, false)]   // a first layer on one channel: 9 taps, nothing to gain
    [InlineData(8, 8, 4, 3, 1, 1, false)]     // too few filters
    [InlineData(16, 14, 16, 3, 2, 1, false)]  // stride 2
    [InlineData(16, 14, 16, 3, 1, 0, false)]  // no padding: the outputs are smaller than the image
    [InlineData(16, 14, 16, 5, 1, 2, false)]  // 5x5
    public void OnlyThreeByThreeSameConvolutionsOnEnoughChannelsTakeIt(int channels, int size, int filters, int kernel, int stride, int padding, bool expected) =>
        Assert.Equal(expected, Winograd.Applies(new ConvGeometry(channels, size, size, kernel, stride, padding), filters));

    [Fact]
    public void TheFilterTransformIsGwGTransposed()
    {
        // One filter, one channel: w = [1 2 3; 4 5 6; 7 8 9]. By hand, G w = [1 2 3; 6 7.5 9; 2 2.5 3; 7 8 9], and
        // (G w) Gᵀ row by row: [1, 3, 1, 3], [6, 11.25, 3.75, 9], [2, 3.75, 1.25, 3], [7, 12, 4, 9].
        var g = new ConvGeometry(1, 4, 4, 3, 1, 1);
        var u = new float[Winograd.FilterLength(g, 1)];
        Winograd.TransformFilters(g, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9], u);
        Assert.Equal([1, 3, 1, 3, 6, 11.25f, 3.75f, 9, 2, 3.75f, 1.25f, 3, 7, 12, 4, 9], u);
    }

    [Fact]
    public void TheAdjointsFiltersAreTheForwardFiltersTurnedAndSwapped()
    {
        // Two forward filters on one channel: the adjoint has one filter on two channels, each the forward filter turned.
        var g = new ConvGeometry(2, 4, 4, 3, 1, 1);
        float[] forward = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 1, 0, 0, 0, 0];
        var adjoint = new float[Winograd.FilterLength(g, 1)];
        Winograd.TransformFilters(g, 1, forward, adjoint, adjoint: true);
        var turned = new float[Winograd.FilterLength(g, 1)];
        Winograd.TransformFilters(g, 1, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0], turned);
        Assert.Equal(turned, adjoint);
    }
}
