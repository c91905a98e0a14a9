namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Work that <see cref="WorkerPool"/> runs as independent parts, one a thread. An object rather
/// than a delegate so that a caller can keep one instance and reuse it without allocating.
/// </summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of the parts the pool was asked for.</summary>
    void Run(int part);
}
