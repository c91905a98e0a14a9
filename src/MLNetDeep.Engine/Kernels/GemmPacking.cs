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
        Pack(g.A, g.Lda, linesContiguous: !g.TransA, i0, mc, p0, kc, TKernel.Rows, packed);

    /// <summary>Packs k-range [p0, p0 + kc) and columns [j0, j0 + nc) of op(B).</summary>
    public static void PackB<TKernel>(in GemmOperands g, int p0, int kc, int j0, int nc, float* packed)
        where TKernel : struct, IGemmMicroKernel =>
        Pack(g.B, g.Ldb, linesContiguous: g.TransB, j0, nc, p0, kc, TKernel.Columns, packed);

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
            if (Transpose8x8.IsSupported)
            {
                // Eight lines at a time, eight steps of k at a time, through registers.
                for (; l + 8 <= valid; l += 8)
                {
                    float* s = source + (long)(l0 + l) * ld;
                    int p = 0;
                    for (; p + 8 <= kc; p += 8) Transpose8x8.Run(s + p, ld, packed + p * width + l, width);
                    for (; p < kc; p++)
                    {
                        for (int r = 0; r < 8; r++) packed[p * width + l + r] = s[(long)r * ld + p];
                    }
                }
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
}
