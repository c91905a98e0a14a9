namespace MLNetDeep.Engine.Activations;

/// <summary>The identity: a linear output, for regression heads.</summary>
public sealed partial class Identity : ActivationLayer
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => x.CopyTo(y);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => dy.CopyTo(dx);

    /// <inheritdoc/>
    public override string ToString() => "Identity";
}
