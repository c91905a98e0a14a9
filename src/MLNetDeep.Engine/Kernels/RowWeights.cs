using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// A copy of a dense layer's weights W [units, inputs] laid out for products with one sample at a
/// time, y = x Wᵀ: column panels of 8 vectors' width, each stored input by input, so that a
/// product streams through the weights once with no packing. The GEMM would repack all of W for
/// every single-row call, which costs more than the product itself. Rows of weights whose input
/// is zero are not read.
/// </summary>
/// <remarks>
/// Every output is summed exactly as the GEMM sums it (the same blocks of k, a fused
/// multiply-add chain from zero within each block, then the blocks added in order, on the same
/// vector path), so a sample scored alone gets the very bits it gets inside a batch (for finite
/// weights: the GEMM turns 0 x infinity into NaN, a skipped input does not).
/// </remarks>
internal sealed unsafe class RowWeights : IParallelWork
{
    /// <summary>From this many multiply-adds a product is shared among the kernel threads, a panel a part.</summary>
    internal const long ParallelThreshold = 1 << 16;

    // 64-byte aligned: a full-width load from an array's own start would straddle two cache lines every time.
    private readonly AlignedBuffer _panels = new();
    private readonly float* _panelsStart;
    private readonly int[] _index;
    private readonly float[] _value;
    private readonly float[]? _small; // W itself, for products too small for the packed path
    private readonly GemmPath _path;
    private readonly ComputeContext _compute;
    private readonly int _panelWidth;
    private readonly int _panelVectors;

    // The operands of the product in progress, for Run: pinned by Multiply while the pool runs.
    private float* _y, _valuePtr;
    private int* _indexPtr;
    private int _nonZero;

    public RowWeights(ComputeContext compute, ReadOnlySpan<float> weights, int units, int inputs)
    {
        ArgumentNullException.ThrowIfNull(compute);
        _compute = compute;
        if (weights.Length < (long)units * inputs) throw new ArgumentException($"weights has {weights.Length} values; {units} x {inputs} needs {units * inputs}.", nameof(weights));
        Units = units;
        Inputs = inputs;
        _path = compute.GemmPath;
        int width = _path switch
        {
            GemmPath.Vector512 => Vector512<float>.Count,
            GemmPath.Vector256 => Vector256<float>.Count,
            _ => Vector<float>.Count,
        };
        // Up to 8 vectors of outputs a panel; a layer with fewer outputs (a classifier's ten) gets panels just wide
        // enough, in 1, 2 or 4 vectors: 8 vectors for ten outputs read and multiplied 12 times the weights there are.
        _panelVectors = ((units + width - 1) / width) switch { 1 => 1, 2 => 2, 3 or 4 => 4, _ => 8 };
        _panelWidth = _panelVectors * width;
        _index = new int[inputs];
        _value = new float[inputs];
        if ((long)units * inputs <= GemmSmall.Threshold)
        {
            // Gemm.Multiply takes its small path for one row of these (which sums as the packed path does): keep W and let it.
            _small = weights[..(units * inputs)].ToArray();
            return;
        }
        int panels = (units + _panelWidth - 1) / _panelWidth;
        _panelsStart = _panels.Get(checked(panels * _panelWidth * inputs));
        for (int panel = 0; panel < panels; panel++)
        {
            int first = panel * _panelWidth, count = Math.Min(_panelWidth, units - first);
            var destination = new Span<float>(_panelsStart + (long)panel * _panelWidth * inputs, _panelWidth * inputs);
            destination.Clear();
            for (int p = 0; p < inputs; p++)
                for (int c = 0; c < count; c++)
                    destination[p * _panelWidth + c] = weights[(first + c) * inputs + p];
        }
    }

    /// <summary>The outputs of a product.</summary>
    public int Units { get; }

    /// <summary>The inputs of a product.</summary>
    public int Inputs { get; }

    /// <summary>y = x Wᵀ for one sample: x has <see cref="Inputs"/> values, y <see cref="Units"/>.</summary>
    public void Multiply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != Inputs) throw new ArgumentException($"x has {x.Length} values; the weights take {Inputs}.", nameof(x));
        if (y.Length != Units) throw new ArgumentException($"y has {y.Length} values; the weights give {Units}.", nameof(y));
        if (_small is not null)
        {
            Gemm.Multiply(_compute, false, true, 1, Units, Inputs, 1f, x, Inputs, _small, Inputs, 0f, y, Units);
            return;
        }
        // Only the non-zero inputs: zero pixels and units that ReLU switched off (often half of
        // them) add nothing, and their rows of weights need not be read at all.
        int nonZero = NonZeros(x, _index, _value);
        fixed (float* py = y, value = _value)
        fixed (int* index = _index)
        {
            _y = py;
            _valuePtr = value;
            _indexPtr = index;
            _nonZero = nonZero;
            try
            {
                // A panel a part: each output is summed by one thread, in the same order, whatever the thread count.
                int parts = (Units + _panelWidth - 1) / _panelWidth;
                _compute.Pool.RunAll(this, parts, parallel: (long)nonZero * Units >= ParallelThreshold);
            }
            finally
            {
                _y = _valuePtr = null;
                _indexPtr = null;
            }
        }
    }

    /// <summary>
    /// Lists the inputs that are not zero (NaN included, -0 not): their positions in <paramref name="index"/>, ascending,
    /// and their values in <paramref name="value"/>; returns how many. With AVX-512, sixteen inputs at a time (a
    /// compressing store of the lanes that are not zero); the scalar loop took a microsecond of a 15-microsecond row.
    /// </summary>
    internal static int NonZeros(ReadOnlySpan<float> x, int[] index, float[] value)
    {
        int nonZero = 0, p = 0;
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            fixed (float* px = x, pv = value)
            fixed (int* pi = index)
            {
                Vector512<int> position = Vector512<int>.Indices, step = Vector512.Create(Vector512<int>.Count);
                for (; p + Vector512<float>.Count <= x.Length; p += Vector512<float>.Count)
                {
                    Vector512<float> v = Vector512.Load(px + p);
                    Vector512<float> kept = ~Vector512.Equals(v, Vector512<float>.Zero);
                    Avx512F.CompressStore(pv + nonZero, kept, v);
                    Avx512F.CompressStore(pi + nonZero, kept.AsInt32(), position);
                    nonZero += BitOperations.PopCount(kept.ExtractMostSignificantBits());
                    position += step;
                }
            }
        }
        for (; p < x.Length; p++)
        {
            index[nonZero] = p;
            value[nonZero] = x[p];
            nonZero += x[p] != 0 ? 1 : 0;
        }
        return nonZero;
    }

    /// <summary>Computes the outputs of panel <paramref name="part"/> of the product in progress.</summary>
    public void Run(int part)
    {
        int first = part * _panelWidth, count = Math.Min(_panelWidth, Units - first);
        float* panel = _panelsStart + (long)first * Inputs;
        if (count == _panelWidth)
        {
            RunPanel(panel, _y + first);
            return;
        }
        float* tile = stackalloc float[_panelWidth];
        RunPanel(panel, tile);
        new ReadOnlySpan<float>(tile, count).CopyTo(new Span<float>(_y + first, count));
    }

    private void RunPanel(float* panel, float* output)
    {
        switch (_path)
        {
            case GemmPath.Vector512: RunPanel<Vector512Ops, Vector512<float>>(panel, output); break;
            case GemmPath.Vector256: RunPanel<Vector256Ops, Vector256<float>>(panel, output); break;
            default: RunPanel<PortableVectorOps, Vector<float>>(panel, output); break;
        }
    }

    private void RunPanel<TOps, TVector>(float* panel, float* output)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        switch (_panelVectors)
        {
            case 1: Panel<TOps, TVector, PanelVectors.One>(_indexPtr, _valuePtr, _nonZero, panel, Inputs, output); break;
            case 2: Panel<TOps, TVector, PanelVectors.Two>(_indexPtr, _valuePtr, _nonZero, panel, Inputs, output); break;
            case 4: Panel<TOps, TVector, PanelVectors.Four>(_indexPtr, _valuePtr, _nonZero, panel, Inputs, output); break;
            default: Panel<TOps, TVector, PanelVectors.Eight>(_indexPtr, _valuePtr, _nonZero, panel, Inputs, output); break;
        }
    }

    /// <summary>
    /// One panel of <typeparamref name="TWidth"/> vectors of outputs (8 but for narrow layers), summed block by block of k as <see cref="GemmDriver{TKernel}"/>
    /// does, over the non-zero inputs only (<paramref name="index"/>, ascending, and their
    /// <paramref name="value"/>s). Skipping a zero input leaves every sum's bits as they are: a
    /// chain that starts from +0 never holds -0, and adding 0 x w (w finite) to it changes nothing.
    /// No software prefetch: its eight prefetches a row of weights cost more than they saved
    /// (measured in docs/BENCHMARKS.md, "The row product without software prefetch").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel<TOps, TVector, TWidth>(int* index, float* value, int count, float* panel, int k, float* y)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
        where TWidth : struct, PanelVectors.ICount
    {
        int w = TOps.Width, vectors = TWidth.Vectors, stride = vectors * w;
        int kcMax = GemmBlocking.KBlock(k, GemmDriver<GemmMicroKernel<TOps, TVector>>.Kc);
        int e = 0;
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int end = Math.Min(k, pc + kcMax);
            TVector a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (; e < count && index[e] < end; e++)
            {
                float* b = panel + (long)index[e] * stride;
                TVector v = TOps.Broadcast(value[e]);
                // The vector count is a constant of the type: the JIT drops the lines a narrow panel does not have.
                a0 = TOps.MultiplyAdd(v, TOps.Load(b), a0);
                if (vectors > 1) a1 = TOps.MultiplyAdd(v, TOps.Load(b + w), a1);
                if (vectors > 2)
                {
                    a2 = TOps.MultiplyAdd(v, TOps.Load(b + 2 * w), a2);
                    a3 = TOps.MultiplyAdd(v, TOps.Load(b + 3 * w), a3);
                }
                if (vectors > 4)
                {
                    a4 = TOps.MultiplyAdd(v, TOps.Load(b + 4 * w), a4);
                    a5 = TOps.MultiplyAdd(v, TOps.Load(b + 5 * w), a5);
                    a6 = TOps.MultiplyAdd(v, TOps.Load(b + 6 * w), a6);
                    a7 = TOps.MultiplyAdd(v, TOps.Load(b + 7 * w), a7);
                }
            }
            // As the micro-kernel stores with alpha = 1: the first block writes its sums, later
            // blocks add theirs to what is there (beta = 1).
            bool first = pc == 0;
            Store(a0, y, first);
            if (vectors > 1) Store(a1, y + w, first);
            if (vectors > 2) { Store(a2, y + 2 * w, first); Store(a3, y + 3 * w, first); }
            if (vectors > 4) { Store(a4, y + 4 * w, first); Store(a5, y + 5 * w, first); Store(a6, y + 6 * w, first); Store(a7, y + 7 * w, first); }
        }

        static void Store(TVector sum, float* y, bool first)
        {
            TVector one = TOps.Broadcast(1f);
            TOps.Store(first ? TOps.Multiply(sum, one) : TOps.Add(TOps.Multiply(sum, one), TOps.Multiply(TOps.Load(y), one)), y);
        }
    }
}
