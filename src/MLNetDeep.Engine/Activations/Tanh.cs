using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Hyperbolic tangent: zero-centred, derivative at most 1.</summary>
public sealed partial class Tanh : ActivationLayer, ILayerFormat<Tanh>
{
    static string ILayerFormat<Tanh>.FormatTag => nameof(Tanh);

    static int ILayerFormat<Tanh>.FormatVersion => 1;

    static Tanh ILayerFormat<Tanh>.ReadConfig(LayerReader reader, int version) => new();

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Tanh(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.TanhBackward(y, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Tanh";
}
