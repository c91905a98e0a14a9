using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Leaky ReLU, max(alpha x, x) for 0 &lt;= alpha &lt; 1: a small slope keeps inactive units learning (the course uses alpha 0.1).</summary>
public sealed partial class LeakyRelu : ActivationLayer
{
    /// <summary>Creates the activation with slope <paramref name="alpha"/> for negative inputs.</summary>
    public LeakyRelu(float alpha = 0.01f)
    {
        if (!(alpha >= 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "LeakyReLU's alpha must be in [0, 1).");
        Alpha = alpha;
    }

    /// <summary>The slope for negative inputs.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.LeakyRelu(x, y, Alpha);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.LeakyReluBackward(x, dy, dx, Alpha);

    internal override void WriteConfig(BinaryWriter writer) => writer.Write(Alpha);

    /// <inheritdoc/>
    public override string ToString() => $"LeakyRelu({Alpha})";
}
