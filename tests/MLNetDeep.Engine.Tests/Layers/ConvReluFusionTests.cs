using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Kernels;

namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>
/// A network applies a ReLU that follows a convolution inside the convolution (LayerFusion). The fused pair
/// must give the bits of the two layers apart (kept apart by building the network with fusion off, and also by
/// an Identity between them, which copies), forward and backward (the second convolution's input gradient passes
/// through the first pair), for every parameter, with one thread or two, at the top level and inside containers.
/// </summary>
public sealed class ConvReluFusionTests
{
    private static Network Build(bool apart, bool nested = false, bool withIdentity = false)
    {
        Layer[] first = withIdentity ? [new Conv2D(5, 3, padding: 1), new Identity(), new Relu()] : [new Conv2D(5, 3, padding: 1), new Relu()];
        Layer[] second = withIdentity ? [new Conv2D(6, 3, stride: 2, padding: 1), new Identity(), new Relu()] : [new Conv2D(6, 3, stride: 2, padding: 1), new Relu()];
        Layer[] layers = nested
            ? [new Sequential(first), new Residual([new Sequential(second)], new Conv2D(6, 1, stride: 2)), new MaxPool2D(2), new Flatten(), new Dense(4)]
            : [.. first, .. second, new MaxPool2D(2), new Flatten(), new Dense(4)];
        return new(TensorShape.Image(2, 9, 8), layers, new SoftmaxCrossEntropy(), seed: 12, fuseLayers: !apart);
    }

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(2, false, false)]
    [InlineData(2, false, true)]
    [InlineData(1, true, false)]
    [InlineData(2, true, false)]
    public void TheFusedPairGivesTheBitsOfTheLayersApart(int threads, bool nested, bool apartByIdentity)
    {
        var compute = ComputeContext.Create(threads);
        const int batch = 9;
        var rng = new Rng(4);
        var x = new Tensor(batch, TensorShape.Image(2, 9, 8));
        for (int i = 0; i < x.Length; i++) x.Span[i] = i % 5 == 0 ? 0f : rng.NextFloat(-1, 1);
        var labels = Enumerable.Range(0, batch).Select(i => (float)(i % 4)).ToArray();


        var fused = Build(apart: false, nested);
        var apart = apartByIdentity ? Build(apart: false, nested, withIdentity: true) : Build(apart: true, nested);
        // Every convolution followed by a ReLU is fused, the projection (followed by nothing) is not.
        Assert.Equal(2, fused.AllLayers.OfType<Conv2D>().Count(c => c.Rectifies));
        Assert.DoesNotContain(apart.AllLayers.OfType<Conv2D>(), c => c.Rectifies);
        for (int step = 0; step < 2; step++)
        {
            FusedAndApart.AssertSameStep(fused, apart, x, labels, compute);
        }
    }

    [Fact]
    public void AReluFedAnythingElseComputesItself()
    {
        var network = Build(apart: false);
        var relu = network.Layers.OfType<Relu>().First();
        var other = new Tensor(1, relu.InputShape);
        other.Span.Fill(-2f);
        other.Span[0] = 3f;
        var y = relu.Forward(other, training: true);
        Assert.NotSame(other, y);
        Assert.Equal(3f, y.Span[0]);
        Assert.Equal(0f, y.Span[1]);
    }
}
