using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>Samples held in two flat arrays: features row after row, targets row after row.</summary>
public sealed class InMemoryDataset : Dataset
{
    private readonly float[] _features, _targets;

    /// <summary>
    /// Wraps (does not copy) <paramref name="features"/> (Count x shape size) and
    /// <paramref name="targets"/> (Count x <paramref name="targetSize"/>).
    /// </summary>
    public InMemoryDataset(float[] features, float[] targets, TensorShape sampleShape, int targetSize = 1)
        : this(features, targets, CountOf(features, sampleShape), sampleShape, targetSize)
    {
        if (targets.Length != (long)Count * targetSize)
            throw new ArgumentException($"{Count} samples need {Count * (long)targetSize} target values; got {targets.Length}.", nameof(targets));
    }

    /// <summary>
    /// Wraps (does not copy) the first <paramref name="count"/> samples of <paramref name="features"/> and
    /// <paramref name="targets"/>, which may be longer: a reader that sized them for every row of its source
    /// and then skipped some keeps its one buffer rather than copying it.
    /// </summary>
    public InMemoryDataset(float[] features, float[] targets, int count, TensorShape sampleShape, int targetSize = 1)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetSize);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (features.Length < (long)count * sampleShape.Size)
            throw new ArgumentException($"{count} samples of {sampleShape} need {(long)count * sampleShape.Size} feature values; got {features.Length}.", nameof(features));
        if (targets.Length < (long)count * targetSize)
            throw new ArgumentException($"{count} samples need {count * (long)targetSize} target values; got {targets.Length}.", nameof(targets));
        _features = features;
        _targets = targets;
        SampleShape = sampleShape;
        TargetSize = targetSize;
        Count = count;
    }

    /// <inheritdoc/>
    public override int Count { get; }

    /// <inheritdoc/>
    public override TensorShape SampleShape { get; }

    /// <inheritdoc/>
    public override int TargetSize { get; }

    /// <inheritdoc/>
    public override void Read(int index, Span<float> features, Span<float> targets)
    {
        int size = SampleShape.Size;
        _features.AsSpan(index * size, size).CopyTo(features);
        _targets.AsSpan(index * TargetSize, TargetSize).CopyTo(targets);
    }

    /// <inheritdoc/>
    public override void ReadTargets(int index, Span<float> targets) => _targets.AsSpan(index * TargetSize, TargetSize).CopyTo(targets);

    private static int CountOf(float[] features, TensorShape sampleShape)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (features.Length % sampleShape.Size != 0)
            throw new ArgumentException($"{features.Length} feature values are not a whole number of samples of {sampleShape}.", nameof(features));
        return features.Length / sampleShape.Size;
    }

    /// <summary>The samples <paramref name="start"/> .. start + count - 1 as a new dataset sharing nothing with this one.</summary>
    public InMemoryDataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count) throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {start + count}) is outside 0..{Count}.");
        int size = SampleShape.Size;
        return new InMemoryDataset(_features.AsSpan(start * size, count * size).ToArray(), _targets.AsSpan(start * TargetSize, count * TargetSize).ToArray(), SampleShape, TargetSize);
    }
}
