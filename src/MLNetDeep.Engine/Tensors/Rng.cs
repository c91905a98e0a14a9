namespace MLNetDeep.Engine.Tensors;

/// <summary>
/// A small seeded random generator (xoshiro128**, seeded by SplitMix64) whose whole state can be
/// read and restored, so that a checkpoint resumes a run bit-identically. Not thread-safe.
/// </summary>
public sealed class Rng
{
    private uint _s0, _s1, _s2, _s3;
    private float _spareGaussian;
    private bool _hasSpare;

    /// <summary>Creates a generator from a seed; equal seeds give equal sequences on every machine.</summary>
    public Rng(ulong seed)
    {
        ulong z = seed;
        ulong a = SplitMix(ref z), b = SplitMix(ref z);
        _s0 = (uint)a; _s1 = (uint)(a >> 32); _s2 = (uint)b; _s3 = (uint)(b >> 32);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt()
    {
        uint result = uint.RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = uint.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>A float uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt() >> 8) * (1f / (1 << 24));

    /// <summary>A float uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public float NextFloat(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>An integer uniform in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong m = (ulong)NextUInt() * (uint)maxExclusive;
        uint low = (uint)m;
        if (low < (uint)maxExclusive)
        {
            uint threshold = (uint)(-maxExclusive) % (uint)maxExclusive;
            while (low < threshold)
            {
                m = (ulong)NextUInt() * (uint)maxExclusive;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>A standard normal sample (Box-Muller, computed in double for accuracy).</summary>
    public float NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spareGaussian; }
        double u1 = ((NextUInt() >> 8) + 1.0) / (1 << 24); // (0, 1]
        double u2 = (NextUInt() >> 8) / (double)(1 << 24);
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = (float)(r * Math.Sin(2 * Math.PI * u2));
        _hasSpare = true;
        return (float)(r * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher-Yates).</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A new generator seeded from this one, for a component that needs its own stream.</summary>
    public Rng Fork() => new(((ulong)NextUInt() << 32) | NextUInt());

    /// <summary>The whole state, for checkpoints.</summary>
    public RngState GetState() => new(_s0, _s1, _s2, _s3, _spareGaussian, _hasSpare);

    /// <summary>Restores a state read by <see cref="GetState"/>.</summary>
    public void SetState(RngState state)
    {
        (_s0, _s1, _s2, _s3, _spareGaussian, _hasSpare) = (state.S0, state.S1, state.S2, state.S3, state.Spare, state.HasSpare);
    }
}

/// <summary>The complete state of an <see cref="Rng"/>.</summary>
public readonly record struct RngState(uint S0, uint S1, uint S2, uint S3, float Spare, bool HasSpare);
