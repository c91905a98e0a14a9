using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Softplus, ln(1 + e^x): a smooth ReLU whose derivative is the sigmoid; computed without overflow for any x.</summary>
public sealed partial class Softplus : ActivationLayer, ILayerFormat<Softplus>
{
    static string ILayerFormat<Softplus>.FormatTag => nameof(Softplus);

    static int ILayerFormat<Softplus>.FormatVersion => 1;

    static Softplus ILayerFormat<Softplus>.ReadConfig(LayerReader reader, int version) => new();

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => SmoothActivationKernels.Softplus(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => SmoothActivationKernels.SoftplusBackward(x, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Softplus";
}
