namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// A large pass of the activations computed element by element in double precision (GELU forward and backward,
/// SELU and Softplus forward) split into contiguous chunks for <see cref="WorkerPool"/>: tens of nanoseconds an
/// element, so even a dense layer's outputs are worth two cores. Each element is computed exactly as on one thread,
/// so results are bit-identical for any thread count. One job a calling thread (thread-static), reused; the operands
/// are raw pointers, valid while the caller keeps its spans pinned.
/// </summary>
internal sealed unsafe class SmoothActivationJob : IParallelWork
{
    /// <summary>What the pass computes.</summary>
    public enum Operation
    {
        /// <summary>y = GELU(x).</summary>
        Gelu,
        /// <summary>dx = GELU'(x) dy.</summary>
        GeluBackward,
        /// <summary>y = SELU(x).</summary>
        Selu,
        /// <summary>y = Softplus(x).</summary>
        Softplus,
    }

    /// <summary>Below this many elements a pass runs on the calling thread (about 0.1 ms of GELU).</summary>
    internal const int ParallelThreshold = 1 << 12;

    /// <summary>Elements a part.</summary>
    private const int Chunk = 1 << 11;

    [ThreadStatic]
    private static SmoothActivationJob? t_job;

    private Operation _operation;
    private float* _x, _dy, _output;
    private int _length;

    /// <summary>Runs <paramref name="operation"/> over <paramref name="x"/> (and <paramref name="dy"/>) into <paramref name="output"/>, sharing large arrays among <paramref name="compute"/>'s threads.</summary>
    public static void Run(ComputeContext compute, Operation operation, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> output)
    {
        if (x.Length < ParallelThreshold || compute.Threads == 1)
        {
            Range(operation, x, dy, output);
            return;
        }
        fixed (float* px = x, pdy = dy, po = output)
        {
            var job = t_job ??= new SmoothActivationJob();
            job._operation = operation;
            job._x = px;
            job._dy = dy.IsEmpty ? null : pdy;
            job._output = po;
            job._length = x.Length;
            try
            {
                compute.Pool.RunAll(job, (x.Length + Chunk - 1) / Chunk);
            }
            finally
            {
                job._x = job._dy = job._output = null;
            }
        }
    }

    public void Run(int part)
    {
        int start = part * Chunk, count = Math.Min(Chunk, _length - start);
        Range(_operation, new ReadOnlySpan<float>(_x + start, count), _dy is null ? [] : new ReadOnlySpan<float>(_dy + start, count),
            new Span<float>(_output + start, count));
    }

    private static void Range(Operation operation, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> output)
    {
        switch (operation)
        {
            case Operation.Gelu: SmoothActivationKernels.GeluRange(x, output); break;
            case Operation.GeluBackward: SmoothActivationKernels.GeluBackwardRange(x, dy, output); break;
            case Operation.Selu: SmoothActivationKernels.SeluRange(x, output); break;
            default: SmoothActivationKernels.SoftplusRange(x, output); break;
        }
    }
}
