namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// Range checks for hyper-parameters. Each throws an <see cref="ArgumentOutOfRangeException"/> whose
/// parameter name is the property or argument being set, so that a bad option names itself.
/// NaN fails every check, since no comparison with it is true.
/// </summary>
internal static class HyperParameter
{
    /// <summary>A finite value greater than 0 (a learning rate, an epsilon).</summary>
    public static float Positive(float value, string name) =>
        value > 0 && float.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number greater than 0.");

    /// <summary>A finite value of at least 0 (a weight decay, a minimum rate).</summary>
    public static float NonNegative(float value, string name) =>
        value >= 0 && float.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number of at least 0.");

    /// <summary>A value in [0, 1): an averaging coefficient such as a momentum or a beta, where 1 would never forget.</summary>
    public static float AveragingCoefficient(float value, string name) =>
        value >= 0 && value < 1 ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 0 and less than 1.");

    /// <summary>A value in (0, 1]: a multiplicative decay of a rate, where 1 keeps it constant.</summary>
    public static float DecayFactor(float value, string name) =>
        value > 0 && value <= 1 ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than 0 and at most 1.");

    /// <summary>A count of at least 1 (epochs).</summary>
    public static int Positive(int value, string name) =>
        value > 0 ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
}
