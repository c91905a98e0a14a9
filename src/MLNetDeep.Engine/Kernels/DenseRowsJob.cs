using System.Numerics.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// A dense layer's passes over its [batch, units] outputs around the products: the bias (or a folded normalisation's
/// affine) and the fused ReLU after the forward product, and before the backward products the fused dropout's mask,
/// the ReLU's derivative and the bias gradient's column sums. Shared among the kernel threads by blocks of rows when the
/// outputs are large; the column sums then follow on the calling thread, each column's rows added in order, so the
/// bits are the same for any thread count.
/// One job a calling thread (thread-static), reused, so a pass allocates nothing; the operands are raw pointers,
/// valid while the caller keeps its spans pinned.
/// </summary>
internal sealed unsafe class DenseRowsJob : IParallelWork
{
    /// <summary>Rows a part of the forward pass.</summary>
    private const int RowsPerPart = 8;

    [ThreadStatic]
    private static DenseRowsJob? t_job;

    private bool _backward, _rectify;
    private float* _y, _dy, _mask, _rectified, _bias, _scale;
    private int _batch, _units;

    /// <summary>
    /// The forward pass over <paramref name="y"/> ([<paramref name="batch"/>, units], the product just written), row by
    /// row: <c>y = y scale + bias</c> when <paramref name="scale"/> is not empty (a folded normalisation, whose shift
    /// is <paramref name="bias"/>), else <c>y = y + bias</c>; then <c>max(0, y)</c> when <paramref name="rectify"/>.
    /// </summary>
    public static void Forward(ComputeContext compute, Span<float> y, int batch, ReadOnlySpan<float> bias, ReadOnlySpan<float> scale, bool rectify)
    {
        int units = bias.Length;
        ActivationKernels.CheckLengths(y.Length, batch * units);
        if (!scale.IsEmpty) ActivationKernels.CheckLengths(scale.Length, units);
        fixed (float* py = y, pb = bias, ps = scale)
        {
            var job = t_job ??= new DenseRowsJob();
            job.Set(backward: false, rectify, py, null, null, null, pb, scale.IsEmpty ? null : ps, batch, units);
            job.RunOn(compute, (batch + RowsPerPart - 1) / RowsPerPart);
        }
    }

    /// <summary>
    /// The backward pass before the products: <c>rectified = dy</c>, times <paramref name="mask"/> when it is not
    /// empty (a fused dropout's), times the ReLU's derivative where <paramref name="rectify"/> (dy where the output
    /// <paramref name="y"/> is above 0, else dy * 0); and <c>db</c> = the column sums of <c>rectified</c>, rows added in
    /// order. Without mask and ReLU, <paramref name="rectified"/> may be <paramref name="dy"/> itself and is not written.
    /// </summary>
    public static void Backward(ComputeContext compute, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, ReadOnlySpan<float> mask,
        Span<float> rectified, Span<float> db, int batch, bool rectify)
    {
        int units = db.Length, n = batch * units;
        ActivationKernels.CheckLengths(dy.Length, n, rectified.Length);
        if (rectify) ActivationKernels.CheckLengths(y.Length, n);
        if (!mask.IsEmpty) ActivationKernels.CheckLengths(mask.Length, n);
        fixed (float* py = y, pdy = dy, pm = mask, pr = rectified, pdb = db)
        {
            var job = t_job ??= new DenseRowsJob();
            job.Set(backward: true, rectify, py, pdy, mask.IsEmpty ? null : pm, pr, pdb, null, batch, units);
            bool elementwise = rectify || !mask.IsEmpty;
            if (!IsParallel(compute, batch, units))
            {
                // One thread: each row added to the sums while it is in L1, one pass over the arrays.
                try
                {
                    job.RunBackward(0, batch, summing: true);
                }
                finally
                {
                    job.Clear();
                }
                return;
            }
            // Shared: the rows' element-wise part on every thread, then the sums on the calling thread. Cutting the
            // columns among the threads instead (each column's sum on one thread) strided every array in short pieces,
            // which the Zen 3 fetched slower than one thread reading whole rows (docs/BENCHMARKS.md, 2026-12-02).
            if (elementwise) job.RunOn(compute, (batch + RowsPerPart - 1) / RowsPerPart);
            SumColumns(elementwise ? pr : pdy, pdb, batch, units);
        }
    }

    private void Set(bool backward, bool rectify, float* y, float* dy, float* mask, float* rectified, float* bias, float* scale, int batch, int units)
    {
        _backward = backward;
        _rectify = rectify;
        _y = y;
        _dy = dy;
        _mask = mask;
        _rectified = rectified;
        _bias = bias;
        _scale = scale;
        _batch = batch;
        _units = units;
    }

    private void RunOn(ComputeContext compute, int parts)
    {
        try
        {
            compute.Pool.RunAll(this, parts, IsParallel(compute, _batch, _units));
        }
        finally
        {
            Clear();
        }
    }

    /// <summary>Drops the operands' pointers, valid only while the caller keeps them pinned.</summary>
    private void Clear() => _y = _dy = _mask = _rectified = _bias = _scale = null;

    private static bool IsParallel(ComputeContext compute, int batch, int units) =>
        compute.Threads > 1 && (long)batch * units >= ElementwiseJob.ParallelThreshold;

    public void Run(int part)
    {
        int first = part * RowsPerPart;
        if (!_backward) RunRows(first, Math.Min(RowsPerPart, _batch - first));
        else RunBackward(first, Math.Min(RowsPerPart, _batch - first), summing: false);
    }

    private void RunRows(int first, int count)
    {
        var bias = new ReadOnlySpan<float>(_bias, _units);
        for (int r = first; r < first + count; r++)
        {
            var row = new Span<float>(_y + (long)r * _units, _units);
            if (_scale is not null) TensorPrimitives.MultiplyAdd(row, new ReadOnlySpan<float>(_scale, _units), bias, row);
            else TensorPrimitives.Add(row, bias, row);
            // The ReLU's max(0, x) on the row just written, still in L1: one pass over the outputs instead of two.
            if (_rectify) ActivationKernels.LeakyReluRange(row, row, 0f);
        }
    }

    /// <summary>
    /// Rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> of the backward pass, in
    /// order, each added to db (cleared first) when <paramref name="summing"/>.
    /// </summary>
    private void RunBackward(int first, int count, bool summing)
    {
        var db = new Span<float>(_bias, _units);
        if (summing) db.Clear();
        for (int r = first; r < first + count; r++)
        {
            long at = (long)r * _units;
            ReadOnlySpan<float> dy = new(_dy + at, _units);
            if (_rectify || _mask is not null)
            {
                var row = new Span<float>(_rectified + at, _units);
                if (_mask is not null)
                {
                    TensorPrimitives.Multiply(dy, new ReadOnlySpan<float>(_mask + at, _units), row);
                    dy = row;
                }
                if (_rectify) ActivationKernels.LeakyReluBackwardRange(new ReadOnlySpan<float>(_y + at, _units), dy, row, 0f);
                dy = row;
            }
            if (summing) TensorPrimitives.Add(db, dy, db);
        }
    }

    /// <summary>db = the column sums of the [batch, units] rows at <paramref name="rows"/>, rows added in order.</summary>
    private static void SumColumns(float* rows, float* sums, int batch, int units)
    {
        var db = new Span<float>(sums, units);
        db.Clear();
        for (int r = 0; r < batch; r++) TensorPrimitives.Add(db, new ReadOnlySpan<float>(rows + (long)r * units, units), db);
    }
}
