namespace MLNetDeep;

/// <summary>
/// Weights of the classes in the loss, for imbalanced classification (<see cref="DeepNetOptions.ClassWeights"/>):
/// each row's loss and gradient are multiplied by its class's weight (and by its example weight, when
/// <see cref="DeepNetOptions.ExampleWeightColumnName"/> is set). <see cref="Balanced"/> weighs each class by the
/// inverse of its frequency, n / (classes × n_class), as scikit-learn's class_weight="balanced" does.
/// </summary>
public sealed class ClassWeights
{
    private readonly float[]? _weights;

    private ClassWeights(float[]? weights) => _weights = weights;

    /// <summary>Each class weighed by n / (classes × its row count), so every class counts as much in total.</summary>
    public static ClassWeights Balanced { get; } = new(null);

    /// <summary>
    /// One weight per class, in the order of the label's keys (multiclass: key 1 first) or false then true (binary).
    /// Weights must be finite and not negative; a class of weight 0 does not move the network.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No weight, or one negative, NaN or infinite.</exception>
    public static ClassWeights Of(params float[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length == 0) throw new ArgumentOutOfRangeException(nameof(weights), "Give one weight per class.");
        for (int i = 0; i < weights.Length; i++)
            if (!(weights[i] >= 0) || float.IsInfinity(weights[i]))
                throw new ArgumentOutOfRangeException(nameof(weights), weights[i], $"Class weight {i} must be finite and not negative.");
        return new([.. weights]);
    }

    /// <summary>True for <see cref="Balanced"/>: the weights depend on the training rows' class counts.</summary>
    public bool IsBalanced => _weights is null;

    /// <summary>The weights given to <see cref="Of"/>, or null for <see cref="Balanced"/>.</summary>
    public IReadOnlyList<float>? Weights => _weights;

    /// <summary>Each class's weight for <paramref name="classes"/> classes, given the training rows' count of each.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The weights given are not one per class.</exception>
    internal float[] For(int classes, IReadOnlyList<long> counts)
    {
        if (_weights is { } given)
        {
            if (given.Length != classes)
                throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.ClassWeights), $"ClassWeights has {given.Length} weights; the label has {classes} classes.");
            return given;
        }
        long total = counts.Sum();
        return counts.Select(n => n == 0 ? 0f : (float)(total / ((double)classes * n))).ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() => _weights is null ? "balanced" : $"[{string.Join(", ", _weights)}]";
}
