using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>
/// A network applies a ReLU that follows a batch normalisation of images inside the normalisation, in training
/// (LayerFusion). The fused pair must give the bits of the two layers apart (the network built with fusion off),
/// forward and backward, for every parameter, with one thread or two, at the top level and inside a residual block,
/// over planes whose length is not a multiple of the vector width; at inference the ReLU computes itself (the
/// normalisation is then folded into the convolution before it, which rounds differently), and the predictions agree within 1e-5.
/// </summary>
public sealed class BatchNormReluFusionTests
{
    private static Network Build(bool apart) => new(TensorShape.Image(2, 9, 9),
    [
        new Conv2D(4, 3, padding: 1), new BatchNorm(), new Relu(), new MaxPool2D(2),
        new Residual(new Conv2D(4, 3, padding: 1), new BatchNorm(), new Relu(), new Conv2D(4, 3, padding: 1), new BatchNorm()),
        new Relu(), new Flatten(), new Dense(6), new BatchNorm(), new Relu(), new Dense(3),
    ], new SoftmaxCrossEntropy(), seed: 5, fuseLayers: !apart);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TheFusedPairGivesTheBitsOfTheLayersApart(int threads)
    {
        var compute = ComputeContext.Create(threads);
        const int batch = 7;
        var rng = new Rng(9);
        var x = new Tensor(batch, TensorShape.Image(2, 9, 9));
        for (int i = 0; i < x.Length; i++) x.Span[i] = i % 6 == 0 ? 0f : rng.NextFloat(-1, 1);
        var labels = Enumerable.Range(0, batch).Select(i => (float)(i % 3)).ToArray();

        var fused = Build(apart: false);
        var apart = Build(apart: true);
        // The two normalisations of images followed by a ReLU are fused (one in the residual block); the one after the
        // dense layer (one value a feature) and the block's last (followed by nothing inside the block) are not.
        Assert.Equal(2, fused.AllLayers.OfType<BatchNorm>().Count(b => b.Rectifies));
        Assert.DoesNotContain(apart.AllLayers.OfType<BatchNorm>(), b => b.Rectifies);
        // At inference the fused network also folds each normalisation into the convolution before it: 1e-5, as BatchNormTests.
        for (int step = 0; step < 2; step++) FusedAndApart.AssertSameStep(fused, apart, x, labels, compute, predictionTolerance: 1e-5f);
    }

    [Fact]
    public void AReluAfterAFoldedNormalisationRectifiesAtInference()
    {
        var network = Build(apart: false);
        var x = new Tensor(2, TensorShape.Image(2, 9, 9));
        for (int i = 0; i < x.Length; i++) x.Span[i] = MathF.Sin(i);
        var norm = network.Layers.OfType<BatchNorm>().First();
        var relu = network.Layers.OfType<Relu>().First();
        var conv = network.Layers.OfType<Conv2D>().First();
        var y = relu.Forward(norm.Forward(conv.Forward(x, training: false), training: false), training: false);
        Assert.Contains(y.Span.ToArray(), v => v == 0f);
        Assert.DoesNotContain(y.Span.ToArray(), v => v < 0f);
    }
}
