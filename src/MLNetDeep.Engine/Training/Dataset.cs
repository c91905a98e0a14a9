using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// Samples the trainer reads by index, one at a time into its batch buffers: an in-memory array
/// (<see cref="InMemoryDataset"/>) or any source that produces a sample on demand
/// (<see cref="FromFunction"/>), so data need not fit in memory.
/// </summary>
public abstract class Dataset
{
    /// <summary>The number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>The shape of one sample's features.</summary>
    public abstract TensorShape SampleShape { get; }

    /// <summary>The number of target values per sample (1 for a class index).</summary>
    public abstract int TargetSize { get; }

    /// <summary>Copies sample <paramref name="index"/> into <paramref name="features"/> and <paramref name="targets"/>.</summary>
    public abstract void Read(int index, Span<float> features, Span<float> targets);

    /// <summary>True when the samples carry weights in the loss (<see cref="Weight"/>); false: every weight is 1.</summary>
    public virtual bool HasWeights => false;

    /// <summary>Sample <paramref name="index"/>'s weight in the loss (see <see cref="Losses.Loss.Compute(Tensor, ReadOnlySpan{float}, ReadOnlySpan{float}, Tensor?)"/>); 1 unless <see cref="HasWeights"/>.</summary>
    public virtual float Weight(int index) => 1f;

    /// <summary>Copies sample <paramref name="index"/>'s targets only; override where that is cheaper than <see cref="Read"/>.</summary>
    public virtual void ReadTargets(int index, Span<float> targets)
    {
        var features = new float[SampleShape.Size];
        Read(index, features, targets);
    }

    /// <summary>A dataset whose samples are produced by <paramref name="read"/> when the trainer asks for them.</summary>
    public static Dataset FromFunction(int count, TensorShape sampleShape, int targetSize, SampleReader read) =>
        new FunctionDataset(count, sampleShape, targetSize, read);

    /// <summary>Writes one sample's features and targets.</summary>
    public delegate void SampleReader(int index, Span<float> features, Span<float> targets);

    private sealed class FunctionDataset(int count, TensorShape shape, int targetSize, SampleReader read) : Dataset
    {
        private readonly SampleReader _read = read ?? throw new ArgumentNullException(nameof(read));
        public override int Count { get; } = count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(count));
        public override TensorShape SampleShape { get; } = shape ?? throw new ArgumentNullException(nameof(shape));
        public override int TargetSize { get; } = targetSize >= 1 ? targetSize : throw new ArgumentOutOfRangeException(nameof(targetSize));
        public override void Read(int index, Span<float> features, Span<float> targets) => _read(index, features, targets);
    }
}
