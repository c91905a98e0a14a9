using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Initializers;

/// <summary>Which fan sets the variance.</summary>
public enum FanMode
{
    /// <summary>fan-in (He, LeCun).</summary>
    In,
    /// <summary>the mean of fan-in and fan-out (Xavier/Glorot).</summary>
    Average,
}

/// <summary>The shape of the distribution.</summary>
public enum Distribution
{
    /// <summary>Normal(0, std).</summary>
    Normal,
    /// <summary>Uniform(-limit, limit) with the same variance.</summary>
    Uniform,
}

/// <summary>
/// Weights with variance <c>scale / fan</c>: Xavier (scale 1, average fan), He (scale 2, fan-in),
/// LeCun (scale 1, fan-in). A uniform draw with the same variance has limit <c>sqrt(3 * variance)</c>.
/// </summary>
public sealed class VarianceScalingInitializer : Initializer
{
    private readonly string _name;

    /// <summary>Creates the initializer.</summary>
    public VarianceScalingInitializer(string name, float scale, FanMode mode, Distribution distribution)
    {
        if (!(scale > 0) || !float.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive and finite.");
        _name = name;
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
    }

    /// <summary>The variance numerator.</summary>
    public float Scale { get; }

    /// <summary>Which fan divides the scale.</summary>
    public FanMode Mode { get; }

    /// <summary>Normal or uniform.</summary>
    public Distribution Distribution { get; }

    /// <inheritdoc/>
    public override void Fill(Span<float> weights, int fanIn, int fanOut, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        double fan = Mode == FanMode.In ? fanIn : (fanIn + fanOut) / 2.0;
        double variance = Scale / fan;
        if (Distribution == Distribution.Normal)
        {
            float std = (float)Math.Sqrt(variance);
            for (int i = 0; i < weights.Length; i++) weights[i] = std * rng.NextGaussian();
        }
        else
        {
            float limit = (float)Math.Sqrt(3 * variance);
            for (int i = 0; i < weights.Length; i++) weights[i] = rng.NextFloat(-limit, limit);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => _name;
}
