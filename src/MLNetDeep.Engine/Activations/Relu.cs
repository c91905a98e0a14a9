using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Rectified linear unit, max(0, x): its derivative is 1 where active, so gradients pass through deep stacks.</summary>
/// <remarks>
/// Right after a <see cref="Layers.Conv2D"/>, a <see cref="Layers.Dense"/> or (in training) a <see cref="Layers.BatchNorm"/>
/// of images, when <see cref="Layers.LayerFusion"/> fused the two, that layer applies the ReLU itself while its outputs are
/// in cache (and the ReLU's derivative to the gradient it receives); this layer then passes that layer's outputs, and the
/// gradients, through. The bits are those of the separate layers.
/// </remarks>
public sealed partial class Relu : ActivationLayer, ILayerFormat<Relu>
{
    static string ILayerFormat<Relu>.FormatTag => nameof(Relu);

    static int ILayerFormat<Relu>.FormatVersion => 1;

    static Relu ILayerFormat<Relu>.ReadConfig(LayerReader reader, int version) => new();

    private bool _passedThrough;

    /// <summary>The convolution, dense layer or batch normalisation that applies this ReLU, when the network fused the two.</summary>
    internal Layers.Layer? FusedInto { get; set; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        // Only the fused layer's own latest outputs are already rectified.
        _passedThrough = FusedInto switch
        {
            Layers.Conv2D conv => conv.ProducedLast(input),
            Layers.Dense dense => dense.ProducedLast(input),
            Layers.BatchNorm norm => norm.ProducedLast(input),
            _ => false,
        };
        return _passedThrough ? input : base.Forward(input, training, compute);
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute) => _passedThrough ? gradOutput : base.Backward(gradOutput, compute);

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Relu(compute, x, y);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.ReluBackward(compute, x, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Relu";
}
