namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The operand that every band of a parallel product needs whole (op(A) when C is cut into
/// column bands, op(B) when it is cut into row bands), packed once for all the threads instead
/// of once a band. It is packed in chunks (a few micro-panels of one block of k), each by the
/// first thread that needs it; a thread that finds a chunk being packed waits for it, and only
/// then, so nobody ever waits for a thread that has not started.
/// </summary>
/// <remarks>
/// The packed values and their layout are the ones each band would have packed for itself, so
/// the products, and their bits, are the same as without sharing. Layout: block of k after block
/// of k, the block at step p0 starting at <c>p0 * paddedLines</c>; in it, the micro-panel of line l
/// at <c>l * kc</c>, as <see cref="GemmPacking"/> lays out one block (and with A's last panels as
/// high as <see cref="GemmPacking.PanelHeight"/> makes them, counted from the end of op(A)).
/// </remarks>
internal sealed unsafe class GemmSharedPanels
{
    /// <summary>Above this many floats (16 MB) the operand is not shared and every band packs its own part again.</summary>
    internal const long MaxFloats = 1 << 22;

    /// <summary>Floats a chunk at least: enough work to be worth claiming, few enough chunks to share out.</summary>
    private const int ChunkFloats = 8192;

    private const int Unpacked = 0, Packing = 1, Packed = 2;

    private readonly AlignedBuffer _buffer = new();
    private int[] _states = [];
    private float* _packed;
    private bool _isA;
    private int _lines, _width, _kcMax, _panelsPerChunk, _chunksPerBlock;

    /// <summary>True for op(A), false for op(B).</summary>
    public bool IsA => _isA;

    /// <summary>
    /// Whether the whole of the operand that <paramref name="splitColumns"/> leaves to every band
    /// is small enough to share.
    /// </summary>
    public static bool Fits(in GemmOperands g, bool splitColumns, int rows, int columns)
    {
        long lines = splitColumns ? RoundUp(g.M, rows) : RoundUp(g.N, columns);
        return lines * g.K <= MaxFloats;
    }

    /// <summary>Gets ready for one product: nothing is packed yet. Called before the run starts.</summary>
    public void Reset(in GemmOperands g, bool isA, int width, int kcMax)
    {
        _isA = isA;
        _lines = isA ? g.M : g.N;
        _width = width;
        _kcMax = kcMax;
        int panels = (_lines + width - 1) / width;
        _panelsPerChunk = Math.Clamp(ChunkFloats / (width * kcMax), 1, panels);
        _chunksPerBlock = (panels + _panelsPerChunk - 1) / _panelsPerChunk;
        // The last chunk must start where a panel does: with A's short last panels (GemmPacking.PanelHeight) it may not.
        while (_chunksPerBlock > 1 && !IsPanelStart((_chunksPerBlock - 1) * _panelsPerChunk * width)) _chunksPerBlock--;
        int blocks = (g.K + kcMax - 1) / kcMax;
        int chunks = blocks * _chunksPerBlock;
        if (_states.Length < chunks) _states = new int[chunks];
        else Array.Clear(_states, 0, chunks);
        _packed = _buffer.Get((int)((long)panels * width * g.K));
    }

    /// <summary>
    /// The packed lines [<paramref name="lineStart"/>, <paramref name="lineEnd"/>) of the block of k at
    /// <paramref name="p0"/> (<paramref name="kc"/> steps), packing whatever of them nobody has packed yet.
    /// <paramref name="lineStart"/> is a multiple of the panel width. Threads start at different chunks
    /// (<paramref name="part"/> of <paramref name="parts"/>), so that they pack side by side.
    /// </summary>
    public float* Get(in GemmOperands g, int lineStart, int lineEnd, int p0, int kc, int part, int parts)
    {
        int block = p0 / _kcMax;
        float* blockStart = _packed + (long)p0 * RoundUp(_lines, _width);
        int first = Math.Min(lineStart / _width / _panelsPerChunk, _chunksPerBlock - 1);
        int last = Math.Min(((lineEnd + _width - 1) / _width - 1) / _panelsPerChunk, _chunksPerBlock - 1);
        int count = last - first + 1;
        int offset = (int)((long)count * part / parts);
        for (int i = 0; i < count; i++)
        {
            int chunk = first + (i + offset) % count;
            ref int state = ref _states[block * _chunksPerBlock + chunk];
            if (Volatile.Read(ref state) == Packed) continue;
            if (Interlocked.CompareExchange(ref state, Packing, Unpacked) == Unpacked)
            {
                int l0 = chunk * _panelsPerChunk * _width;
                int lines = chunk == _chunksPerBlock - 1 ? _lines - l0 : _panelsPerChunk * _width;
                float* destination = blockStart + (long)l0 * kc;
                if (_isA) GemmPacking.PackLinesOfA(g, l0, lines, p0, kc, _width, destination);
                else GemmPacking.PackLinesOfB(g, p0, kc, l0, lines, _width, destination);
                Volatile.Write(ref state, Packed);
            }
            else
            {
                // Claimed by a thread that is packing it now.
                var spin = new SpinWait();
                while (Volatile.Read(ref state) != Packed) spin.SpinOnce(sleep1Threshold: -1);
            }
        }
        return blockStart + (long)lineStart * kc;
    }

    /// <summary>Whether a packed panel starts at <paramref name="line"/>: A's panels are not all as high.</summary>
    private bool IsPanelStart(int line)
    {
        int l = 0;
        while (l < line) l += _isA ? GemmPacking.PanelHeight(_lines - l, _width) : _width;
        return l == line;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
