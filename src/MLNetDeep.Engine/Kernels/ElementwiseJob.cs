namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// A large element-wise pass split into contiguous chunks for <see cref="WorkerPool"/>: the
/// ReLU family over a convolution's outputs reads and writes megabytes a step, which one core's
/// memory bandwidth does not cover. Each element is computed exactly as on one thread, so results
/// are bit-identical for any thread count. One job a calling thread (thread-static), reused, so a
/// pass allocates nothing; the operands are raw pointers, valid while the caller keeps its spans pinned.
/// </summary>
internal sealed unsafe class ElementwiseJob : IParallelWork
{
    /// <summary>What the pass computes.</summary>
    public enum Operation
    {
        /// <summary>y = x where x &gt; 0, else alpha x.</summary>
        LeakyRelu,
        /// <summary>dx = dy where x &gt; 0, else alpha dy.</summary>
        LeakyReluBackward,
    }

    /// <summary>Below this many elements a pass runs on the calling thread: waking a worker would cost more.</summary>
    internal const int ParallelThreshold = 1 << 16;

    /// <summary>Elements a part: a multiple of every vector width, small enough to balance two busy cores.</summary>
    private const int Chunk = 1 << 14;

    [ThreadStatic]
    private static ElementwiseJob? t_job;

    private Operation _operation;
    private float* _a, _b, _output;
    private int _length;
    private float _alpha;

    /// <summary>The job of the calling thread.</summary>
    public static ElementwiseJob ForCurrentThread => t_job ??= new ElementwiseJob();

    /// <summary>Runs <paramref name="operation"/> over <paramref name="length"/> elements of <paramref name="a"/> (and <paramref name="b"/>) into <paramref name="output"/>.</summary>
    public void Run(WorkerPool pool, Operation operation, float* a, float* b, float* output, int length, float alpha)
    {
        _operation = operation;
        _a = a;
        _b = b;
        _output = output;
        _length = length;
        _alpha = alpha;
        try
        {
            int parts = (length + Chunk - 1) / Chunk;
            pool.RunAll(this, parts, parallel: length >= ParallelThreshold);
        }
        finally
        {
            _a = _b = _output = null;
        }
    }

    public void Run(int part)
    {
        int start = part * Chunk, count = Math.Min(Chunk, _length - start);
        var x = new ReadOnlySpan<float>(_a + start, count);
        var output = new Span<float>(_output + start, count);
        if (_operation == Operation.LeakyRelu) ActivationKernels.LeakyReluRange(x, output, _alpha);
        else ActivationKernels.LeakyReluBackwardRange(x, new ReadOnlySpan<float>(_b + start, count), output, _alpha);
    }
}
