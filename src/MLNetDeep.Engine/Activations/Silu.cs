using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Sigmoid linear unit, SiLU or Swish (Elfwing et al. 2017; Ramachandran et al. 2017): x σ(x) = x / (1 + e^-x).</summary>
public sealed partial class Silu : ActivationLayer, ILayerFormat<Silu>
{
    static string ILayerFormat<Silu>.FormatTag => nameof(Silu);

    static int ILayerFormat<Silu>.FormatVersion => 1;

    static Silu ILayerFormat<Silu>.ReadConfig(LayerReader reader, int version) => new();

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => SmoothActivationKernels.Silu(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => SmoothActivationKernels.SiluBackward(x, y, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Silu";
}
