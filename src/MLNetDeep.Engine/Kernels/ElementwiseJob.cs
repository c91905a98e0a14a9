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
        /// <summary>An inverted-dropout pass (<see cref="DropoutKernels"/>): a = the input, b = the mask it writes.</summary>
        Dropout,
        /// <summary>output = a b, element by element.</summary>
        Multiply,
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
    private ulong _key;
    private uint _threshold;

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

    /// <summary>An inverted-dropout pass keyed by <paramref name="key"/> over <paramref name="length"/> elements; <paramref name="keep"/> goes where alpha would.</summary>
    public void RunDropout(WorkerPool pool, ulong key, uint threshold, float keep, float* input, float* mask, float* output, int length)
    {
        _key = key;
        _threshold = threshold;
        Run(pool, Operation.Dropout, input, mask, output, length, keep);
    }

    public void Run(int part)
    {
        int start = part * Chunk, count = Math.Min(Chunk, _length - start);
        var x = new ReadOnlySpan<float>(_a + start, count);
        var output = new Span<float>(_output + start, count);
        switch (_operation)
        {
            case Operation.LeakyRelu:
                ActivationKernels.LeakyReluRange(x, output, _alpha);
                break;
            case Operation.LeakyReluBackward:
                ActivationKernels.LeakyReluBackwardRange(x, new ReadOnlySpan<float>(_b + start, count), output, _alpha);
                break;
            case Operation.Dropout:
                DropoutKernels.ApplyRange(_key, _threshold, _alpha, x, new Span<float>(_b + start, count), output, start);
                break;
            default:
                System.Numerics.Tensors.TensorPrimitives.Multiply(x, new ReadOnlySpan<float>(_b + start, count), output);
                break;
        }
    }
}
