using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Square blocks of floats transposed in registers: a few shuffles instead of one scalar load
/// and strided store a value. Packing uses them where the lines of a panel are contiguous in
/// memory but must be interleaved along k: 8 x 8 for the 8-row tiles, 4 x 4 for the 6- and
/// 4-row ones.
/// </summary>
internal static unsafe class Transpose
{
    public static bool Is8x8Supported => Avx.IsSupported;

    public static bool Is4x4Supported => Sse.IsSupported;

    /// <summary>
    /// <c>destination[j * destinationStride + i] = source[i * sourceStride + j]</c> for i &lt; <paramref name="rows"/>,
    /// j &lt; <paramref name="columns"/>: in 8 x 8 blocks, then 4 x 4, then one value at a time at the edges.
    /// </summary>
    public static void Matrix(float* source, long sourceStride, int rows, int columns, float* destination, int destinationStride)
    {
        int i = 0;
        if (Is8x8Supported)
        {
            for (; i + 8 <= rows; i += 8)
            {
                int j = 0;
                for (; j + 8 <= columns; j += 8) Run8x8(source + i * sourceStride + j, sourceStride, destination + (long)j * destinationStride + i, destinationStride);
                Edge(source, sourceStride, i, i + 8, j, columns, destination, destinationStride);
            }
        }
        Edge(source, sourceStride, i, rows, 0, columns, destination, destinationStride);
    }

    /// <summary>Rows [i0, i1) and columns [j0, j1) of <see cref="Matrix"/>, in 4 x 4 blocks where they fit.</summary>
    private static void Edge(float* source, long sourceStride, int i0, int i1, int j0, int j1, float* destination, int destinationStride)
    {
        int i = i0;
        if (Is4x4Supported)
        {
            for (; i + 4 <= i1; i += 4)
            {
                int j = j0;
                for (; j + 4 <= j1; j += 4) Run4x4(source + i * sourceStride + j, sourceStride, destination + (long)j * destinationStride + i, destinationStride);
                for (int r = i; r < i + 4; r++)
                    for (int q = j; q < j1; q++) destination[(long)q * destinationStride + r] = source[r * sourceStride + q];
            }
        }
        for (; i < i1; i++)
            for (int q = j0; q < j1; q++) destination[(long)q * destinationStride + i] = source[i * sourceStride + q];
    }

    /// <summary>
    /// Reads 8 floats from each of the rows <c>source + r * sourceStride</c>, r &lt; 8, and writes
    /// column q of that block to <c>destination + q * destinationStride</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run8x8(float* source, long sourceStride, float* destination, int destinationStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + sourceStride);
        Vector256<float> r2 = Avx.LoadVector256(source + 2 * sourceStride), r3 = Avx.LoadVector256(source + 3 * sourceStride);
        Vector256<float> r4 = Avx.LoadVector256(source + 4 * sourceStride), r5 = Avx.LoadVector256(source + 5 * sourceStride);
        Vector256<float> r6 = Avx.LoadVector256(source + 6 * sourceStride), r7 = Avx.LoadVector256(source + 7 * sourceStride);

        // Interleave pairs of rows, then pairs of pairs; each 128-bit half now holds four rows
        // of one column, and the last step joins the halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(destination, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(destination + 2 * destinationStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(destination + 3 * destinationStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(destination + 4 * destinationStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(destination + 5 * destinationStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(destination + 6 * destinationStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(destination + 7 * destinationStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// Reads 4 floats from each of the rows <c>source</c> and <c>source + sourceStride</c> and
    /// writes column q of that 2 x 4 block, a pair, to <c>destination + q * destinationStride</c>:
    /// the last two lines of a 6-line panel, which the 4 x 4 blocks leave.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run2x4(float* source, long sourceStride, float* destination, int destinationStride)
    {
        Vector128<float> r0 = Sse.LoadVector128(source), r1 = Sse.LoadVector128(source + sourceStride);
        Vector128<float> low = Sse.UnpackLow(r0, r1), high = Sse.UnpackHigh(r0, r1);
        Sse.StoreLow(destination, low);
        Sse.StoreHigh(destination + destinationStride, low);
        Sse.StoreLow(destination + 2 * destinationStride, high);
        Sse.StoreHigh(destination + 3 * destinationStride, high);
    }

    /// <summary>As <see cref="Run8x8"/>, for a 4 x 4 block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run4x4(float* source, long sourceStride, float* destination, int destinationStride)
    {
        Vector128<float> r0 = Sse.LoadVector128(source), r1 = Sse.LoadVector128(source + sourceStride);
        Vector128<float> r2 = Sse.LoadVector128(source + 2 * sourceStride), r3 = Sse.LoadVector128(source + 3 * sourceStride);
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(destination, Sse.MoveLowToHigh(t0, t1));
        Sse.Store(destination + destinationStride, Sse.MoveHighToLow(t1, t0));
        Sse.Store(destination + 2 * destinationStride, Sse.MoveLowToHigh(t2, t3));
        Sse.Store(destination + 3 * destinationStride, Sse.MoveHighToLow(t3, t2));
    }
}
