using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Rectified linear unit, max(0, x): its derivative is 1 where active, so gradients pass through deep stacks.</summary>
/// <remarks>
/// Right after a <see cref="Layers.Conv2D"/> in a <see cref="Network"/>, the convolution applies
/// the ReLU itself while its outputs are in cache (and the ReLU's derivative to the gradient it
/// receives); this layer then passes that convolution's outputs, and the gradients, through. The
/// bits are those of the separate layers.
/// </remarks>
public sealed partial class Relu : ActivationLayer
{
    private bool _passedThrough;

    /// <summary>The convolution that applies this ReLU, when the network fused the two.</summary>
    internal Layers.Conv2D? FusedInto { get; set; }

    /// <inheritdoc/>
    public override Tensors.Tensor Forward(Tensors.Tensor input, bool training)
    {
        // Only the fused convolution's own latest outputs are already rectified.
        _passedThrough = FusedInto is { } conv && conv.ProducedLast(input);
        return _passedThrough ? input : base.Forward(input, training);
    }

    /// <inheritdoc/>
    public override Tensors.Tensor Backward(Tensors.Tensor gradOutput) => _passedThrough ? gradOutput : base.Backward(gradOutput);

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Relu(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.ReluBackward(x, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Relu";
}
