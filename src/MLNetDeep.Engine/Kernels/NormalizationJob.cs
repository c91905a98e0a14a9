namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Batch normalisation of images split into parts for <see cref="WorkerPool"/>, a channel a part: each channel's
/// statistics and planes are computed exactly as on one thread, so the bits never depend on the thread count. The
/// operands are raw pointers, valid while <see cref="NormalizationKernels"/> keeps its spans pinned. One job a
/// calling thread (thread-static), reused, so a pass allocates nothing.
/// </summary>
internal sealed unsafe class NormalizationJob : IParallelWork
{
    /// <summary>Below this many values a pass runs on the calling thread: waking a worker would cost more.</summary>
    private const int ParallelThreshold = 1 << 14;

    [ThreadStatic]
    private static NormalizationJob? t_job;

    private Operands _o;
    private bool _backward;

    /// <summary>The job of the calling thread.</summary>
    public static NormalizationJob ForCurrentThread => t_job ??= new NormalizationJob();

    /// <summary>A batch [N, C, S] and the arrays a pass reads and writes (null where the pass has none).</summary>
    internal struct Operands
    {
        public int N, C, S;
        public float Epsilon;

        /// <summary>Forward: apply the fused ReLU to Y. Backward: Y holds the rectified outputs, and Dy is the ReLU's output gradient.</summary>
        public bool Rectified;
        public float* X, Gamma, Beta, Mean, Variance, InvStd, Y, Dy, Dgamma, Dbeta, Dx;
    }

    /// <summary>Runs the forward (statistics and normalisation) or backward pass over every channel.</summary>
    public void Run(WorkerPool pool, in Operands operands, bool backward)
    {
        (_o, _backward) = (operands, backward);
        try
        {
            pool.RunAll(this, operands.C, parallel: operands.C > 1 && (long)operands.N * operands.C * operands.S >= ParallelThreshold);
        }
        finally
        {
            _o = default;
        }
    }

    public void Run(int part)
    {
        var o = _o;
        int length = o.N * o.C * o.S;
        if (_backward)
        {
            NormalizationKernels.BatchBackwardChannel(new ReadOnlySpan<float>(o.Dy, length), new ReadOnlySpan<float>(o.X, length),
                o.Rectified ? new ReadOnlySpan<float>(o.Y, length) : default, o.N, o.C, o.S, part, o.Gamma[part], o.Mean[part], o.InvStd[part],
                out o.Dgamma[part], out o.Dbeta[part], o.Dx is null ? [] : new Span<float>(o.Dx, length));
            return;
        }
        NormalizationKernels.BatchForwardChannel(new ReadOnlySpan<float>(o.X, length), o.N, o.C, o.S, part, o.Epsilon, o.Gamma[part], o.Beta[part], o.Rectified,
            out o.Mean[part], out o.Variance[part], out o.InvStd[part], new Span<float>(o.Y, length));
    }
}
