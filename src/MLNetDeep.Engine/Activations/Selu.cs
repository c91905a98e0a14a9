using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Scaled exponential linear unit (Klambauer et al. 2017): λ x for x &gt; 0, λ α (e^x - 1) otherwise, with the published λ = 1.0507009873554805 and α = 1.6732632423543772, which keep activations near mean 0 and variance 1 (use LeCun normal weights).</summary>
public sealed partial class Selu : ActivationLayer, ILayerFormat<Selu>
{
    static string ILayerFormat<Selu>.FormatTag => nameof(Selu);

    static int ILayerFormat<Selu>.FormatVersion => 1;

    static Selu ILayerFormat<Selu>.ReadConfig(LayerReader reader, int version) => new();

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => SmoothActivationKernels.Selu(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => SmoothActivationKernels.SeluBackward(x, y, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Selu";
}
