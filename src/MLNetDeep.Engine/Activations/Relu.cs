using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Rectified linear unit, max(0, x): its derivative is 1 where active, so gradients pass through deep stacks.</summary>
public sealed class Relu : ActivationLayer
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Relu(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.ReluBackward(x, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Relu";
}
