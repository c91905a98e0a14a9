namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// One pooling pass split into parts for <see cref="WorkerPool"/>, an image a part. The operands
/// are raw pointers, valid while <see cref="PoolingKernels"/> keeps its spans pinned. One job a
/// calling thread (thread-static), reused, so a pass allocates nothing.
/// </summary>
internal sealed unsafe class PoolingJob : IParallelWork
{
    /// <summary>What the pass computes; each reads <c>input</c> and writes <c>output</c>.</summary>
    public enum Operation
    {
        /// <summary>x to y, recording the winners in argmax.</summary>
        Max,
        /// <summary>dy to dx through the recorded winners.</summary>
        MaxBackward,
        /// <summary>x to y.</summary>
        Average,
        /// <summary>dy to dx.</summary>
        AverageBackward,
    }

    /// <summary>Below this many input values a pass runs on the calling thread: waking a worker would cost more.</summary>
    private const int ParallelThreshold = 1 << 14;

    [ThreadStatic]
    private static PoolingJob? t_job;

    private Operation _operation;
    private ConvGeometry _g;
    private float* _input, _output;
    private int* _argmax;

    /// <summary>The job of the calling thread.</summary>
    public static PoolingJob ForCurrentThread => t_job ??= new PoolingJob();

    public void Run(WorkerPool pool, Operation operation, in ConvGeometry g, int images, float* input, float* output, int* argmax)
    {
        (_operation, _g) = (operation, g);
        _input = input;
        _output = output;
        _argmax = argmax;
        try
        {
            pool.RunAll(this, images, parallel: (long)images * g.ImageSize >= ParallelThreshold);
        }
        finally
        {
            _input = _output = null;
            _argmax = null;
        }
    }

    public void Run(int part) => PoolingKernels.Image(_operation, _g, part, _input, _output, _argmax);
}
