using System.Numerics.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// One convolution pass split into parts for <see cref="WorkerPool"/>: an image a part forward,
/// a group of images a part backward. The operands are raw pointers, valid while
/// <see cref="Convolution"/> keeps its spans pinned.
/// </summary>
/// <remarks>
/// One job a calling thread (thread-static), reused, so a pass allocates nothing; one column
/// matrix a thread, grown to the largest layer it has served. Products inside a part run on the
/// part's thread (the context's one-thread form), never on the pool again.
/// </remarks>
internal sealed unsafe class ConvolutionJob : IParallelWork
{
    /// <summary>Below this many multiply-adds a pass runs on the calling thread: waking a worker would cost more.</summary>
    private const long ParallelThreshold = 1 << 16;

    [ThreadStatic]
    private static ConvolutionJob? t_job;

    [ThreadStatic]
    private static float[]? t_columns;

    [ThreadStatic]
    private static float[]? t_gradient;

    [ThreadStatic]
    private static float[]? t_output;

    [ThreadStatic]
    private static float[]? t_winograd;

    /// <summary>The filters' Winograd transform, when this pass computes that way (<see cref="Winograd.Applies"/>); else null.</summary>
    private float[]? _transformedFilters;

    private float[] _filterTransformBuffer = [];

    /// <summary>Backward with <see cref="_transformedFilters"/>: the window of the adjoint convolution, over the output gradients.</summary>
    private ConvGeometry _adjointGeometry;

    private ComputeContext? _compute, _serial;
    private ConvGeometry _g;
    private int _filters, _batch;
    private bool _backward, _rectify;
    private float* _x, _weight, _bias, _dWeight, _dBias, _dx, _scratch, _rectified;

    /// <summary>With a max pooling fused in: its window over the outputs, its outputs and winners, and backward its gradient.</summary>
    private ConvGeometry _pool;
    private float* _pooled, _pooledGradient;
    private int* _argmax;

    /// <summary>The outputs forward, their gradient backward.</summary>
    private float* _y;

    /// <summary>The job of the calling thread.</summary>
    public static ConvolutionJob ForCurrentThread => t_job ??= new ConvolutionJob();

    public void Forward(ComputeContext compute, in ConvGeometry g, int filters, int batch, float* x, float* weight, float* bias, float* y, bool rectify) =>
        RunForward(compute, g, filters, batch, x, weight, bias, y, rectify);

    public void Backward(ComputeContext compute, in ConvGeometry g, int filters, int batch, float* x, float* weight, float* dy,
        float* dWeight, float* dBias, float* dx, float* scratch, float* rectified)
    {
        _rectified = rectified;
        RunBackward(compute, g, filters, batch, x, weight, dy, dWeight, dBias, dx, scratch);
    }

    /// <summary>
    /// <see cref="Forward"/> with a max pooling of the outputs fused in: each image's outputs go to this thread's
    /// buffer and only their pooling (<paramref name="pooled"/>, <paramref name="argmax"/>) to memory.
    /// </summary>
    public void ForwardPooled(ComputeContext compute, in ConvGeometry g, int filters, int batch, float* x, float* weight, float* bias, bool rectify,
        in ConvGeometry pool, float* pooled, int* argmax)
    {
        _pool = pool;
        _pooled = pooled;
        _argmax = argmax;
        RunForward(compute, g, filters, batch, x, weight, bias, null, rectify);
    }

    /// <summary>
    /// <see cref="Backward"/> behind a fused max pooling: each image's output gradient is rebuilt in this thread's
    /// buffer from the pooling's (<paramref name="pooledGradient"/>, routed to <paramref name="argmax"/>, through
    /// the ReLU's derivative when <paramref name="pooled"/> is given).
    /// </summary>
    public void BackwardPooled(ComputeContext compute, in ConvGeometry g, int filters, int batch, float* x, float* weight,
        float* dWeight, float* dBias, float* dx, float* scratch, in ConvGeometry pool, float* pooledGradient, int* argmax, float* pooled)
    {
        _pool = pool;
        _pooledGradient = pooledGradient;
        _argmax = argmax;
        _pooled = pooled;
        RunBackward(compute, g, filters, batch, x, weight, null, dWeight, dBias, dx, scratch);
    }

    private void RunForward(ComputeContext compute, in ConvGeometry g, int filters, int batch, float* x, float* weight, float* bias, float* y, bool rectify)
    {
        (_compute, _serial) = (compute, compute.Serial);
        (_g, _filters, _batch, _backward, _rectify) = (g, filters, batch, false, rectify);
        _x = x;
        _weight = weight;
        _bias = bias;
        _y = y;
        if (Winograd.Applies(g, filters)) TransformFilters(g, filters, weight, adjoint: false);
        RunParts(_transformedFilters is null ? batch : (batch + Winograd.GroupSize - 1) / Winograd.GroupSize);
    }

    private void RunBackward(ComputeContext compute, in ConvGeometry g, int filters, int batch, float* x, float* weight, float* dy,
        float* dWeight, float* dBias, float* dx, float* scratch)
    {
        (_compute, _serial) = (compute, compute.Serial);
        (_g, _filters, _batch, _backward) = (g, filters, batch, true);
        _x = x;
        _weight = weight;
        _y = dy;
        _dWeight = dWeight;
        _dBias = dBias;
        _dx = dx;
        _scratch = scratch;
        if (dx != null && Winograd.Applies(g, filters))
        {
            // dx is the convolution of dy by the filters turned: a 3x3 "same" convolution from F channels to C.
            _adjointGeometry = new ConvGeometry(filters, g.OutputHeight, g.OutputWidth, 3, 1, 1);
            TransformFilters(_adjointGeometry, g.Channels, weight, adjoint: true);
        }
        RunParts(Convolution.Groups(batch));
    }

    /// <summary>Transforms the filters once a pass, on this thread, for every part's products to read (<see cref="Winograd.TransformFilters"/>).</summary>
    private void TransformFilters(in ConvGeometry g, int filters, float* weight, bool adjoint)
    {
        int length = Winograd.FilterLength(g, filters);
        if (_filterTransformBuffer.Length < length) _filterTransformBuffer = new float[length];
        Winograd.TransformFilters(g, filters, new ReadOnlySpan<float>(weight, filters * g.PatchSize), _filterTransformBuffer, adjoint);
        _transformedFilters = _filterTransformBuffer;
    }

    public void Run(int part)
    {
        if (_backward) BackwardGroup(part);
        else if (_transformedFilters is not null) ForwardWinograd(part);
        else ForwardImage(part);
    }

    private void RunParts(int parts)
    {
        try
        {
            long multiplyAdds = (long)_batch * _filters * _g.PatchSize * _g.OutputPixels;
            _compute!.Pool.RunAll(this, parts, parallel: multiplyAdds >= ParallelThreshold);
        }
        finally
        {
            _compute = _serial = null;
            _transformedFilters = null;
            _x = _weight = _bias = _y = _dWeight = _dBias = _dx = _scratch = _rectified = _pooled = _pooledGradient = null;
            _argmax = null;
        }
    }

    /// <summary>True for 1x1 kernels with stride 1 and no padding, whose column matrix is the image itself.</summary>
    private bool IsPointwise => _g.Kernel == 1 && _g.Stride == 1 && _g.Padding == 0;

    private void ForwardImage(int n)
    {
        int k = _g.PatchSize, p = _g.OutputPixels, f = _filters;
        var image = new ReadOnlySpan<float>(_x + (long)n * _g.ImageSize, _g.ImageSize);
        // Pooled, the outputs stay in this thread's buffer, in cache for the pooling that reads them.
        var y = _pooled != null ? OfThread(ref t_output, f * p) : new Span<float>(_y + (long)n * f * p, f * p);
        var weight = new ReadOnlySpan<float>(_weight, f * k);
        ReadOnlySpan<float> columns = IsPointwise ? image : Unfold(image);
        Gemm.Multiply(_serial!, false, false, f, p, k, 1f, weight, k, columns, p, 0f, y, p);
        for (int i = 0; i < f; i++) TensorPrimitives.Add(y.Slice(i * p, p), _bias[i], y.Slice(i * p, p));
        if (_rectify) ActivationKernels.LeakyReluRange(y, y, 0f);
        if (_pooled == null) return;
        fixed (float* outputs = y) PoolingKernels.MaxPoolImage(_pool, n, outputs, _pooled, _argmax);
    }

    /// <summary>The images of one group (<see cref="Winograd.GroupSize"/>) forward by <see cref="Winograd"/>: their tiles multiplied together.</summary>
    private void ForwardWinograd(int group)
    {
        int p = _g.OutputPixels, f = _filters, first = group * Winograd.GroupSize, count = Math.Min(Winograd.GroupSize, _batch - first);
        // Pooled, the group's outputs stay in this thread's buffer, in cache for the pooling that reads them.
        float* y = _y + (long)first * f * p;
        var buffer = _pooled != null ? OfThread(ref t_output, count * f * p) : default;
        fixed (float* outputs = buffer)
        {
            if (_pooled != null) y = outputs;
            Winograd.ForwardGroup(_serial!, _g, f, count, _x + (long)first * _g.ImageSize, _transformedFilters, _bias, y,
                OfThread(ref t_winograd, Winograd.ScratchLength(_g, f)));
            var all = new Span<float>(y, count * f * p);
            if (_rectify) ActivationKernels.LeakyReluRange(all, all, 0f);
            if (_pooled == null) return;
            for (int n = 0; n < count; n++) PoolingKernels.MaxPoolImage(_pool, first + n, y + (long)n * f * p, _pooled, _argmax);
        }
    }

    private void BackwardGroup(int group)
    {
        int k = _g.PatchSize, p = _g.OutputPixels, f = _filters;
        var weight = new ReadOnlySpan<float>(_weight, f * k);
        // Group 0 sums straight into the gradients, the others into the scratch (every group, when
        // the weight gradient is transposed); Convolution adds them up in group order.
        bool transposed = Convolution.TransposedWeightGradient(_g, f);
        bool own = group == 0 && !transposed;
        float* partial = own ? _dWeight : _scratch + (long)(transposed ? group : group - 1) * (f * k + f);
        var dWeight = new Span<float>(partial, f * k);
        var dBias = new Span<float>(own ? _dBias : partial + f * k, f);
        int first = group * Convolution.BackwardGroupSize, end = Math.Min(_batch, first + Convolution.BackwardGroupSize);
        // Winograd's path keeps the group's output gradients side by side (in this thread's buffer when they are
        // rebuilt here) for its products after the loop: the weight gradient's, and the input gradient's when the
        // adjoint's filters were transformed.
        bool winograd = Winograd.Applies(_g, f), adjoint = _dx != null && winograd;
        var gradients = _pooledGradient != null || _rectified != null ? GradientOfThread((winograd ? end - first : 1) * f * p) : default;
        for (int n = first; n < end; n++)
        {
            float beta = n == first ? 0f : 1f;
            var image = new ReadOnlySpan<float>(_x + (long)n * _g.ImageSize, _g.ImageSize);
            var buffer = gradients.IsEmpty || !winograd ? gradients : gradients.Slice((n - first) * f * p, f * p);
            ReadOnlySpan<float> dy;
            if (_pooledGradient != null)
            {
                // The pooling's gradient routed back to its winners, in this thread's buffer.
                PoolingKernels.MaxPoolImageBackward(_pool, n, _pooledGradient, _argmax, _pooled, buffer);
                dy = buffer;
            }
            else dy = new ReadOnlySpan<float>(_y + (long)n * f * p, f * p);
            if (_rectified != null)
            {
                // Back through the fused ReLU first, into this thread's buffer (the caller's dy stays as it is).
                ActivationKernels.LeakyReluBackwardRange(new ReadOnlySpan<float>(_rectified + (long)n * f * p, f * p), dy, buffer, 0f);
                dy = buffer;
            }
            for (int i = 0; i < f; i++)
            {
                float sum = TensorPrimitives.Sum(dy.Slice(i * p, p));
                dBias[i] = n == first ? sum : dBias[i] + sum;
            }
            if (winograd) continue;
            ReadOnlySpan<float> columns = IsPointwise ? image : Unfold(image);
            // dW (+)= dy [F, H'W'] x columnsᵀ [H'W', C*k*k], or its transpose columns x dyᵀ.
            if (transposed) Gemm.Multiply(_serial!, false, true, k, f, p, 1f, columns, p, dy, p, beta, dWeight, f);
            else Gemm.Multiply(_serial!, false, true, f, k, p, 1f, dy, p, columns, p, beta, dWeight, k);
            if (_dx == null) continue;
            var dx = new Span<float>(_dx + (long)n * _g.ImageSize, _g.ImageSize);
            if (IsPointwise)
            {
                Gemm.Multiply(_serial!, true, false, k, p, f, 1f, weight, k, dy, p, 0f, dx, p);
                continue;
            }
            // dColumns = Wᵀ x dy, over the thread's column matrix, then folded back onto the image.
            var dColumns = ColumnsOfThread(k * p);
            Gemm.Multiply(_serial!, true, false, k, p, f, 1f, weight, k, dy, p, 0f, dColumns, p);
            Im2Col.Fold(_g, dColumns, p, dx);
        }
        if (!winograd) return;
        fixed (float* buffered = gradients)
        {
            float* dys = buffered != null ? buffered : _y + (long)first * f * p;
            WinogradWeightGradient.Compute(_serial!, _g, f, end - first, _x + (long)first * _g.ImageSize, dys, partial, transposed,
                OfThread(ref t_winograd, WinogradWeightGradient.ScratchLength(_g, f)));
            if (!adjoint) return;
            Winograd.ForwardGroup(_serial!, _adjointGeometry, _g.Channels, end - first, dys, _transformedFilters, null, _dx + (long)first * _g.ImageSize,
                OfThread(ref t_winograd, Winograd.ScratchLength(_adjointGeometry, _g.Channels)));
        }
    }

    private ReadOnlySpan<float> Unfold(ReadOnlySpan<float> image)
    {
        var columns = ColumnsOfThread(_g.PatchSize * _g.OutputPixels);
        Im2Col.Unfold(_g, image, columns, _g.OutputPixels);
        return columns;
    }

    private static Span<float> ColumnsOfThread(int length) => OfThread(ref t_columns, length);

    private static Span<float> GradientOfThread(int length) => OfThread(ref t_gradient, length);

    /// <summary>The first <paramref name="length"/> values of a thread's buffer, grown when too short.</summary>
    private static Span<float> OfThread(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }
}
