namespace MLNetDeep.Engine.Tensors;

/// <summary>
/// A batch of samples in one float32 buffer, row-major, batch first. The buffer grows to the
/// largest batch it has held and is then reused, so a training loop allocates nothing per step.
/// </summary>
public sealed class Tensor
{
    private float[] _data;

    /// <summary>Creates a tensor of <paramref name="batch"/> samples of <paramref name="sampleShape"/>, zero-filled.</summary>
    public Tensor(int batch, TensorShape sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        SampleShape = sampleShape;
        Batch = batch;
        _data = new float[checked(batch * sampleShape.Size)];
    }

    /// <summary>Wraps existing data (not copied) as <paramref name="batch"/> samples of <paramref name="sampleShape"/>.</summary>
    public Tensor(float[] data, int batch, TensorShape sampleShape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (data.Length < (long)batch * sampleShape.Size)
            throw new ArgumentException($"{batch} samples of {sampleShape} need {(long)batch * sampleShape.Size} values; the array has {data.Length}.", nameof(data));
        _data = data;
        Batch = batch;
        SampleShape = sampleShape;
    }

    /// <summary>The shape of one sample.</summary>
    public TensorShape SampleShape { get; }

    /// <summary>The number of samples now held.</summary>
    public int Batch { get; private set; }

    /// <summary>The number of values of one sample.</summary>
    public int SampleSize => SampleShape.Size;

    /// <summary>The number of values now held: <see cref="Batch"/> times <see cref="SampleSize"/>.</summary>
    public int Length => Batch * SampleShape.Size;

    /// <summary>The backing array; it may be longer than <see cref="Length"/>.</summary>
    public float[] Buffer => _data;

    /// <summary>The values now held.</summary>
    public Span<float> Span => _data.AsSpan(0, Length);

    /// <summary>The values of sample <paramref name="index"/>.</summary>
    public Span<float> Row(int index)
    {
        if ((uint)index >= (uint)Batch) throw new ArgumentOutOfRangeException(nameof(index), $"Sample {index} is outside a batch of {Batch}.");
        return _data.AsSpan(index * SampleSize, SampleSize);
    }

    /// <summary>
    /// Sets the batch size, growing the buffer only when it is too small. Contents are kept
    /// only up to the old length; callers overwrite what they use.
    /// </summary>
    public void Resize(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        long needed = (long)batch * SampleSize;
        if (needed > _data.Length) _data = new float[checked((int)needed)];
        Batch = batch;
    }

    /// <summary>Returns a tensor of the given batch, reusing <paramref name="tensor"/> when it has the right sample shape.</summary>
    public static Tensor Ensure(ref Tensor? tensor, int batch, TensorShape sampleShape)
    {
        if (tensor is null || !tensor.SampleShape.Equals(sampleShape)) tensor = new Tensor(batch, sampleShape);
        else tensor.Resize(batch);
        return tensor;
    }
}
