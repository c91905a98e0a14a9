using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// Training samples read one after another, afresh for every epoch, and never held all at once: data larger
/// than memory. <see cref="NetworkTrainer.FitStream"/>
/// shuffles them through a bounded pool (<see cref="TrainerOptions.ShufflePoolSize"/>). Every pass must give
/// the same samples in the same order, so that a seed fixes the run.
/// </summary>
public abstract class SampleStream
{
    /// <summary>The shape of one sample's features.</summary>
    public abstract TensorShape SampleShape { get; }

    /// <summary>The number of target values per sample (1 for a class index).</summary>
    public abstract int TargetSize { get; }

    /// <summary>True when the samples carry weights in the loss; false: every weight is 1.</summary>
    public virtual bool HasWeights => false;

    /// <summary>Starts a pass from the first sample.</summary>
    public abstract SampleCursor Open();

    /// <summary>A stream of <paramref name="count"/> samples made by <paramref name="read"/> (index 0 first) on every pass.</summary>
    public static SampleStream FromFunction(long count, TensorShape sampleShape, int targetSize, SampleReader read) =>
        new FunctionStream(count, sampleShape, targetSize, read);

    /// <summary>Writes sample <paramref name="index"/>'s features and targets.</summary>
    public delegate void SampleReader(long index, Span<float> features, Span<float> targets);

    private sealed class FunctionStream(long count, TensorShape shape, int targetSize, SampleReader read) : SampleStream
    {
        private readonly SampleReader _read = read ?? throw new ArgumentNullException(nameof(read));
        private readonly long _count = count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(count));
        public override TensorShape SampleShape { get; } = shape ?? throw new ArgumentNullException(nameof(shape));
        public override int TargetSize { get; } = targetSize >= 1 ? targetSize : throw new ArgumentOutOfRangeException(nameof(targetSize));
        public override SampleCursor Open() => new Cursor(this);

        private sealed class Cursor(FunctionStream stream) : SampleCursor
        {
            private long _next;

            public override bool MoveNext(Span<float> features, Span<float> targets, out float weight)
            {
                weight = 1f;
                if (_next >= stream._count) return false;
                stream._read(_next++, features, targets);
                return true;
            }
        }
    }
}
