using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
namespace MLNetDeep.Engine.Activations;

/// <summary>The identity: a linear output, for regression heads.</summary>
public sealed partial class Identity : ActivationLayer, ILayerFormat<Identity>
{
    static string ILayerFormat<Identity>.FormatTag => nameof(Identity);

    static int ILayerFormat<Identity>.FormatVersion => 1;

    static Identity ILayerFormat<Identity>.ReadConfig(LayerReader reader, int version) => new();

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => x.CopyTo(y);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => dy.CopyTo(dx);

    /// <inheritdoc/>
    public override string ToString() => "Identity";
}
