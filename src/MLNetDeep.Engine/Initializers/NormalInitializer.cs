using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Initializers;

/// <summary>Normal(0, std) whatever the fan: the "random normal" initialisation the course starts from.</summary>
public sealed class NormalInitializer : Initializer
{
    /// <summary>Creates the initializer; <paramref name="std"/> must be positive and finite.</summary>
    public NormalInitializer(float std)
    {
        if (!(std > 0) || !float.IsFinite(std)) throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be positive and finite.");
        Std = std;
    }

    /// <summary>The standard deviation.</summary>
    public float Std { get; }

    /// <inheritdoc/>
    public override void Fill(Span<float> weights, int fanIn, int fanOut, Rng rng)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = Std * rng.NextGaussian();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Normal({Std})";
}
