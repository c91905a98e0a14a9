using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Copies blocks of A and B into the order the micro-kernel reads them: micro-panels of
/// <c>Rows</c> rows of op(A) (or <c>Columns</c> columns of op(B)) interleaved along k, zero-padded
/// to a full tile. Transposition is resolved here, so the micro-kernel never sees it, and the
/// kernel's loads become sequential.
/// </summary>
/// <remarks>
/// A row of op(A) and a column of op(B) are both a "line" along k. A line is either contiguous
/// (A as stored, B transposed) or strided by the leading dimension (A transposed, B as stored),
/// so two routines serve all four transpose combinations.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Packs rows [i0, i0 + mc) and k-range [p0, p0 + kc) of op(A).</summary>
    public static void PackA<TKernel>(in GemmOperands g, int i0, int mc, int p0, int kc, float* packed)
        where TKernel : struct, IGemmMicroKernel =>
        PackLinesOfA(g, i0, mc, p0, kc, TKernel.Rows, packed);

    /// <summary>Packs k-range [p0, p0 + kc) and columns [j0, j0 + nc) of op(B).</summary>
    public static void PackB<TKernel>(in GemmOperands g, int p0, int kc, int j0, int nc, float* packed)
        where TKernel : struct, IGemmMicroKernel =>
        PackLinesOfB(g, p0, kc, j0, nc, TKernel.Columns, packed);

    /// <summary>
    /// Packs rows [i0, i0 + mc) and k-range [p0, p0 + kc) of op(A) in panels of <paramref name="width"/>
    /// rows, but for the last few rows, whose panels are <see cref="PanelHeight"/> high. The panel of
    /// row i0 + r starts at <c>packed + r * kc</c> whatever the heights.
    /// </summary>
    public static void PackLinesOfA(in GemmOperands g, int i0, int mc, int p0, int kc, int width, float* packed)
    {
        for (int r = 0, height; r < mc; r += height)
        {
            height = PanelHeight(mc - r, width);
            Pack(g.A, g.Lda, linesContiguous: !g.TransA, i0 + r, Math.Min(height, mc - r), p0, kc, height, packed + (long)r * kc);
        }
    }

    /// <summary>
    /// The height of the panel of A that starts <paramref name="remaining"/> rows before the end of
    /// a block, for tiles of <paramref name="tileRows"/> rows. Four-row panels where a full tile
    /// would be mostly padding: with 6-row tiles the last 7 or 8 rows are two panels of 4 (128 rows
    /// are 20 x 6 + 2 x 4, not 21 x 6 and a tile of 2), and at most 4 remaining rows one panel of 4.
    /// </summary>
    public static int PanelHeight(int remaining, int tileRows) =>
        remaining <= 4 || (tileRows == 6 && remaining is 7 or 8) ? 4 : tileRows;

    /// <summary>Packs k-range [p0, p0 + kc) and columns [j0, j0 + nc) of op(B) in panels of <paramref name="width"/> columns.</summary>
    public static void PackLinesOfB(in GemmOperands g, int p0, int kc, int j0, int nc, int width, float* packed) =>
        Pack(g.B, g.Ldb, linesContiguous: g.TransB, j0, nc, p0, kc, width, packed);

    /// <summary>Packs lines [l0, l0 + lines) over steps [p0, p0 + kc) into panels of <paramref name="width"/> lines.</summary>
    private static void Pack(float* matrix, int ld, bool linesContiguous, int l0, int lines, int p0, int kc, int width, float* packed)
    {
        if (linesContiguous)
            PackContiguousLines(matrix + (long)l0 * ld + p0, ld, lines, kc, width, packed);
        else
            PackStridedLines(matrix + (long)p0 * ld + l0, ld, lines, kc, width, packed);
    }

    /// <summary>Line l, step p is at <c>source[p * ld + l]</c>: each step is one contiguous copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackStridedLines(float* source, int ld, int lines, int kc, int width, float* packed)
    {
        for (int l0 = 0; l0 < lines; l0 += width, packed += kc * width)
        {
            int valid = Math.Min(width, lines - l0);
            float* s = source + l0;
            for (int p = 0; p < kc; p++, s += ld)
            {
                // Inline vector copies: a memmove call for each step of 32 to 128 bytes costs
                // more than the copy itself.
                float* d = packed + p * width;
                int l = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; l + 8 <= valid; l += 8) Vector256.Store(Vector256.Load(s + l), d + l);
                }
                for (; l + 4 <= valid; l += 4) Vector128.Store(Vector128.Load(s + l), d + l);
                for (; l < valid; l++) d[l] = s[l];
                for (; l < width; l++) d[l] = 0;
            }
        }
    }

    /// <summary>Line l, step p is at <c>source[l * ld + p]</c>: a transpose into the panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackContiguousLines(float* source, int ld, int lines, int kc, int width, float* packed)
    {
        for (int l0 = 0; l0 < lines; l0 += width, packed += kc * width)
        {
            int valid = Math.Min(width, lines - l0);
            int l = 0;
            // Groups of 8 (then 4, then 2) lines, 8 (4) steps of k at a time, through registers.
            if (Transpose.Is8x8Supported)
            {
                for (; l + 8 <= valid; l += 8) TransposeLines(source + (long)(l0 + l) * ld, ld, kc, 8, packed + l, width);
            }
            if (Transpose.Is4x4Supported)
            {
                for (; l + 4 <= valid; l += 4) TransposeLines(source + (long)(l0 + l) * ld, ld, kc, 4, packed + l, width);
                for (; l + 2 <= valid; l += 2) TransposeLines(source + (long)(l0 + l) * ld, ld, kc, 2, packed + l, width);
            }
            for (; l < width; l++)
            {
                float* d = packed + l;
                if (l < valid)
                {
                    float* s = source + (long)(l0 + l) * ld;
                    for (int p = 0; p < kc; p++) d[p * width] = s[p];
                }
                else
                {
                    for (int p = 0; p < kc; p++) d[p * width] = 0;
                }
            }
        }
    }

    /// <summary>Transposes <paramref name="group"/> (8, 4 or 2) contiguous lines into a panel of <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeLines(float* source, int ld, int kc, int group, float* packed, int width)
    {
        int p = 0;
        if (group == 8)
        {
            for (; p + 8 <= kc; p += 8) Transpose.Run8x8(source + p, ld, packed + p * width, width);
        }
        else if (group == 4)
        {
            for (; p + 4 <= kc; p += 4) Transpose.Run4x4(source + p, ld, packed + p * width, width);
        }
        else
        {
            for (; p + 4 <= kc; p += 4) Transpose.Run2x4(source + p, ld, packed + p * width, width);
        }
        for (; p < kc; p++)
        {
            for (int r = 0; r < group; r++) packed[p * width + r] = source[(long)r * ld + p];
        }
    }
}
