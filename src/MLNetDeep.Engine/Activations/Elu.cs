using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Exponential linear unit (Clevert et al. 2015): x for x &gt; 0, alpha (e^x - 1) otherwise.</summary>
public sealed partial class Elu : ActivationLayer
{
    /// <summary>Creates the activation; <paramref name="alpha"/> must be positive.</summary>
    public Elu(float alpha = 1f)
    {
        if (!(alpha > 0) || !float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "ELU's alpha must be positive and finite.");
        Alpha = alpha;
    }

    /// <summary>The saturation value for large negative inputs is -alpha.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Elu(x, y, Alpha);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.EluBackward(x, y, dy, dx, Alpha);

    internal override void WriteConfig(BinaryWriter writer) => writer.Write(Alpha);

    /// <inheritdoc/>
    public override string ToString() => $"Elu({Alpha})";
}
