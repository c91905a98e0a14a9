using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Initializers;

/// <summary>Uniform(-limit, limit) whatever the fan.</summary>
public sealed class UniformInitializer : Initializer
{
    /// <summary>Creates the initializer; <paramref name="limit"/> must be positive and finite.</summary>
    public UniformInitializer(float limit)
    {
        if (!(limit > 0) || !float.IsFinite(limit)) throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be positive and finite.");
        Limit = limit;
    }

    /// <summary>The half-width of the interval.</summary>
    public float Limit { get; }

    /// <inheritdoc/>
    public override void Fill(Span<float> weights, int fanIn, int fanOut, Rng rng)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = rng.NextFloat(-Limit, Limit);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Uniform({Limit})";
}
