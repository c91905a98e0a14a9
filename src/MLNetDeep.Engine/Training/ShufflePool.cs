using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// Shuffles a stream in bounded memory: the pool holds up to its capacity of samples; each sample given out is
/// drawn uniformly from the pool and its slot refilled with the stream's next one, and once the stream ends the
/// rest leave in random order. A sample can thus move forward by any distance and back by up to the capacity.
/// The draws come from one seeded generator, so a pass over the same stream gives the same order every time.
/// </summary>
internal sealed class ShufflePool
{
    private readonly int _featureSize, _targetSize;
    private readonly float[] _features, _targets, _weights;
    private SampleCursor? _cursor;
    private Rng? _rng;
    private int _filled;

    public ShufflePool(int capacity, int featureSize, int targetSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _featureSize = featureSize;
        _targetSize = targetSize;
        _features = new float[checked(capacity * featureSize)];
        _targets = new float[checked(capacity * targetSize)];
        _weights = new float[capacity];
    }

    public int Capacity => _weights.Length;

    /// <summary>Starts a pass: fills the pool from <paramref name="cursor"/>; draws will come from <paramref name="rng"/>.</summary>
    public void Start(SampleCursor cursor, Rng rng)
    {
        _cursor = cursor;
        _rng = rng;
        _filled = 0;
        while (_filled < Capacity && Fill(_filled)) _filled++;
        if (_filled < Capacity) _cursor = null;
    }

    /// <summary>Gives out the next sample of the shuffled pass, or returns false when the pass is over.</summary>
    public bool Next(Span<float> features, Span<float> targets, out float weight)
    {
        weight = 0;
        if (_filled == 0) return false;
        int slot = _rng!.NextInt(_filled);
        _features.AsSpan(slot * _featureSize, _featureSize).CopyTo(features);
        _targets.AsSpan(slot * _targetSize, _targetSize).CopyTo(targets);
        weight = _weights[slot];
        if (_cursor is not null && Fill(slot)) return true;
        // The stream is over: the last sample of the pool takes the freed slot.
        _cursor = null;
        int last = --_filled;
        _features.AsSpan(last * _featureSize, _featureSize).CopyTo(_features.AsSpan(slot * _featureSize));
        _targets.AsSpan(last * _targetSize, _targetSize).CopyTo(_targets.AsSpan(slot * _targetSize));
        _weights[slot] = _weights[last];
        return true;
    }

    private bool Fill(int slot)
    {
        bool read = _cursor!.MoveNext(_features.AsSpan(slot * _featureSize, _featureSize), _targets.AsSpan(slot * _targetSize, _targetSize), out float weight);
        if (read && (!(weight >= 0) || float.IsInfinity(weight)))
            throw new InvalidDataException($"A streamed sample has weight {weight}; weights must be finite and not negative.");
        _weights[slot] = weight;
        return read;
    }
}
