using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>
/// A network pools a convolution's outputs inside the convolution when a max pooling follows it, after a ReLU or
/// straight after (LayerFusion): the full-resolution outputs and their gradient never reach memory. The fused
/// layers must give the bits of the layers apart (the network built with fusion off): outputs, loss, every
/// parameter's gradient, predictions, over two steps, with one thread or two, for 2x2 windows (the vector path),
/// overlapping 3x3 windows of stride 2 (the general path, winners shared by two windows), and inside containers.
/// </summary>
public sealed class ConvPoolFusionTests
{
    private static readonly TensorShape Input = TensorShape.Image(2, 12, 10);

    private static Network Build(string shape, bool apart) => new(Input, shape switch
    {
        // The second convolution's input gradient goes back through the first fused block.
        "relu-2x2" => [new Conv2D(5, 3, padding: 1), new Relu(), new MaxPool2D(2), new Conv2D(6, 3, padding: 1), new Relu(), new MaxPool2D(2), new Flatten(), new Dense(4)],
        "no-relu-2x2" => [new Conv2D(5, 3, padding: 1), new MaxPool2D(2), new Conv2D(6, 3), new MaxPool2D(2), new Flatten(), new Dense(4)],
        "relu-3x3-stride-2" => [new Conv2D(5, 3, padding: 1), new Relu(), new MaxPool2D(3, stride: 2), new Conv2D(4, 3, padding: 1), new Relu(), new MaxPool2D(3, stride: 2), new Flatten(), new Dense(4)],
        "nested" => [new Sequential([new Conv2D(5, 3, padding: 1), new Relu(), new MaxPool2D(2)]),
            new Residual([new Sequential([new Conv2D(5, 3, padding: 1), new Relu()])]), new Sequential([new Conv2D(6, 3, padding: 1), new MaxPool2D(2)]), new Flatten(), new Dense(4)],
        // The second convolution (8 channels, 9 filters, 6 x 5) runs by Winograd's transforms, forward and back.
        "winograd-2x2" => [new Conv2D(8, 3, padding: 1), new Relu(), new MaxPool2D(2), new Conv2D(9, 3, padding: 1), new Relu(), new MaxPool2D(2), new Flatten(), new Dense(4)],
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    }, new SoftmaxCrossEntropy(), seed: 21, fuseLayers: !apart);

    [Theory]
    [InlineData("relu-2x2", 1)]
    [InlineData("relu-2x2", 2)]
    [InlineData("no-relu-2x2", 2)]
    [InlineData("relu-3x3-stride-2", 1)]
    [InlineData("relu-3x3-stride-2", 2)]
    [InlineData("nested", 2)]
    [InlineData("winograd-2x2", 1)]
    [InlineData("winograd-2x2", 2)]
    public void TheFusedPoolingGivesTheBitsOfTheLayersApart(string shape, int threads)
    {
        var compute = ComputeContext.Create(threads);
        const int batch = 9;
        var rng = new Rng(8);
        var x = new Tensor(batch, Input);
        // Zeros and repeated values make ties in the windows, before and after the ReLU.
        for (int i = 0; i < x.Length; i++) x.Span[i] = i % 7 == 0 ? 0f : i % 11 == 0 ? 0.5f : rng.NextFloat(-1, 1);
        var labels = Enumerable.Range(0, batch).Select(i => (float)(i % 4)).ToArray();


        var fused = Build(shape, apart: false);
        var apart = Build(shape, apart: true);
        Assert.Equal(2, fused.AllLayers.OfType<Conv2D>().Count(c => c.PooledBy is not null));
        Assert.DoesNotContain(apart.AllLayers.OfType<Conv2D>(), c => c.PooledBy is not null);
        for (int step = 0; step < 2; step++)
        {
            FusedAndApart.AssertSameStep(fused, apart, x, labels, compute);
            // A step of plain SGD, so that the second step starts from other weights.
            foreach (var (pfused, papart) in fused.Parameters.Zip(apart.Parameters))
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(pfused.Gradient, -0.1f, pfused.Value, pfused.Value);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(papart.Gradient, -0.1f, papart.Value, papart.Value);
            }
        }
    }

    [Fact]
    public void APoolingFedAnythingElsePoolsItself()
    {
        var network = Build("relu-2x2", apart: false);
        network.Forward(new Tensor(1, Input), training: true);
        var pool = network.Layers.OfType<MaxPool2D>().First();
        var other = new Tensor(1, pool.InputShape);
        for (int i = 0; i < other.Length; i++) other.Span[i] = i;
        var y = pool.Forward(other, training: true);
        // The first window of a [5, 12, 10] image covers inputs 0, 1, 10 and 11.
        Assert.Equal(11f, y.Span[0]);
        Assert.Equal(13f, y.Span[1]);
    }
}
