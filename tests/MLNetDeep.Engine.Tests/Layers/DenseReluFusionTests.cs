using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>
/// A network applies a ReLU that follows a dense layer inside the dense layer's bias pass, and its derivative (after
/// the mask of a dropout that follows the ReLU) inside the bias-gradient pass (LayerFusion). The fused pair must give the bits of the two layers apart (built with
/// fusion off), forward and backward, for every parameter, with one thread or two, with dropout (whose passes are
/// shared among threads for an output this large) after each pair, at the top level and inside containers.
/// </summary>
public sealed class DenseReluFusionTests
{
    private const int Inputs = 40, Units = 520, Batch = 130; // 130 x 520 outputs: above the size at which element-wise passes use two threads

    private static Network Build(bool apart, bool nested)
    {
        Layer[] block = [new Dense(Units), new Relu(), new Dropout(0.3f)];
        Layer[] layers = nested
            ? [new Sequential(block), new Residual([new Sequential([new Dense(Units), new Relu()])]), new Dense(5)]
            : [.. block, new Dense(Units), new Relu(), new Dropout(0.2f), new Dense(5)];
        return new(TensorShape.Vector(Inputs), layers, new SoftmaxCrossEntropy(), seed: 21, fuseLayers: !apart);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void TheFusedPairGivesTheBitsOfTheLayersApart(int threads, bool nested)
    {
        var compute = ComputeContext.Create(threads);
        var rng = new Rng(8);
        var x = new Tensor(Batch, TensorShape.Vector(Inputs));
        // Zeros and negative inputs give pre-activations at and below 0, where the ReLU and its derivative matter.
        for (int i = 0; i < x.Length; i++) x.Span[i] = i % 7 == 0 ? 0f : rng.NextFloat(-1, 1);
        var labels = Enumerable.Range(0, Batch).Select(i => (float)(i % 5)).ToArray();


        var fused = Build(apart: false, nested);
        var apart = Build(apart: true, nested);
        Assert.Equal(2, fused.AllLayers.OfType<Dense>().Count(d => d.Rectifies));
        Assert.DoesNotContain(apart.AllLayers.OfType<Dense>(), d => d.Rectifies);
        // A dropout right after a fused pair has its gradient's mask applied by the dense layer.
        Assert.Equal(nested ? 1 : 2, fused.AllLayers.OfType<Dropout>().Count(d => d.FusedInto is not null));
        for (int step = 0; step < 2; step++)
        {
            FusedAndApart.AssertSameStep(fused, apart, x, labels, compute);
        }
    }

    [Fact]
    public void OneThreadAndTwoGiveTheSameBits()
    {
        float[][] Gradients(int threads)
        {
            var compute = ComputeContext.Create(threads);
            var network = Build(apart: false, nested: false);
            var rng = new Rng(9);
            var x = new Tensor(Enumerable.Range(0, Batch * Inputs).Select(_ => rng.NextFloat(-1, 1)).ToArray(), Batch, TensorShape.Vector(Inputs));
            var output = network.Forward(x, training: true, compute);
            var gradient = new Tensor(Batch, output.SampleShape);
            network.Loss.Compute(output, Enumerable.Range(0, Batch).Select(i => (float)(i % 5)).ToArray(), gradient);
            network.Backward(gradient, compute);
            return [output.Span.ToArray(), .. network.Parameters.Select(p => p.Gradient.ToArray())];
        }

        var one = Gradients(1);
        var two = Gradients(2);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]);
    }

    [Fact]
    public void AReluFedAnotherTensorComputesItself()
    {
        var network = Build(apart: false, nested: false);
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
