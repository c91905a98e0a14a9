using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Logistic sigmoid, 1 / (1 + e^-x): the classic unit whose small derivative (at most 1/4) makes gradients vanish in deep stacks.</summary>
public sealed partial class Sigmoid : ActivationLayer
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Sigmoid(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.SigmoidBackward(y, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Sigmoid";
}
