using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Hyperbolic tangent: zero-centred, derivative at most 1.</summary>
public sealed partial class Tanh : ActivationLayer
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Tanh(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.TanhBackward(y, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Tanh";
}
