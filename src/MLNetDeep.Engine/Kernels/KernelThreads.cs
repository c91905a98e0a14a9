namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// How many threads the kernels may use for one large operation. The work is split over the
/// output only, so results are bit-identical whatever the count.
/// </summary>
public static class KernelThreads
{
    private static int _count = Environment.ProcessorCount;

    /// <summary>
    /// The number of threads, counting the calling one; at least 1. Defaults to
    /// <see cref="Environment.ProcessorCount"/>. Set 1 to keep every kernel on the calling thread.
    /// </summary>
    public static int Count
    {
        get => Volatile.Read(ref _count);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _count, value);
        }
    }
}
