using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Gaussian error linear unit (Hendrycks and Gimpel 2016), exact: x Φ(x) = 0.5 x (1 + erf(x/√2)), Φ the standard normal distribution function (not the tanh approximation).</summary>
public sealed partial class Gelu : ActivationLayer, ILayerFormat<Gelu>
{
    static string ILayerFormat<Gelu>.FormatTag => nameof(Gelu);

    static int ILayerFormat<Gelu>.FormatVersion => 1;

    static Gelu ILayerFormat<Gelu>.ReadConfig(LayerReader reader, int version) => new();

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => SmoothActivationKernels.Gelu(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => SmoothActivationKernels.GeluBackward(x, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Gelu";
}
