using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Leaky ReLU, max(alpha x, x) for 0 &lt;= alpha &lt; 1: a small slope keeps inactive units learning (the course uses alpha 0.1).</summary>
public sealed partial class LeakyRelu : ActivationLayer, ILayerFormat<LeakyRelu>
{
    static string ILayerFormat<LeakyRelu>.FormatTag => nameof(LeakyRelu);

    static int ILayerFormat<LeakyRelu>.FormatVersion => 1;

    static LeakyRelu ILayerFormat<LeakyRelu>.ReadConfig(LayerReader reader, int version) => new(reader.ReadSingle());

    /// <summary>Creates the activation with slope <paramref name="alpha"/> for negative inputs.</summary>
    public LeakyRelu(float alpha = 0.01f)
    {
        if (!(alpha >= 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "LeakyReLU's alpha must be in [0, 1).");
        Alpha = alpha;
    }

    /// <summary>The slope for negative inputs.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.LeakyRelu(compute, x, y, Alpha);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.LeakyReluBackward(compute, x, dy, dx, Alpha);

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer) => writer.Write(Alpha);

    /// <inheritdoc/>
    public override string ToString() => $"LeakyRelu({Alpha})";
}
