using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The register-tiled micro-kernel: a TileRows x (2 x Width) tile of C held in 2 x TileRows
/// vector accumulators. Each step of k loads two vectors of packed B, broadcasts TileRows values
/// of packed A and does 2 x TileRows fused multiply-adds, with nothing else in the loop.
/// </summary>
/// <remarks>
/// Written once for every vector width: TileRows is a constant of the specialisation, so the
/// JIT drops the rows a tile does not have and keeps every accumulator in a register.
/// </remarks>
internal readonly unsafe struct GemmMicroKernel<TOps, TVector> : IGemmMicroKernel
    where TOps : struct, IVectorOps<TVector>
    where TVector : struct
{
    public static int Rows => TOps.TileRows;

    public static int Columns => 2 * TOps.Width;

    // Straight to optimized code: a tier-0 build of this loop is many times slower and the
    // first products of a process would pay for it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta) =>
        Tile(TOps.TileRows, kc, a, b, c, ldc, alpha, beta);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunFourRows(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta) =>
        Tile(4, kc, a, b, c, ldc, alpha, beta);

    // Inlined into each caller with rows a constant, so the JIT drops the rows a tile does not have.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(int rows, int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        int width = TOps.Width;
        // The body below is written for these; the JIT folds the check away.
        if (rows is not (4 or 6 or 8)) throw new NotSupportedException("A GEMM tile has 4, 6 or 8 rows.");
        TVector c00 = default, c01 = default, c10 = default, c11 = default;
        TVector c20 = default, c21 = default, c30 = default, c31 = default;
        TVector c40 = default, c41 = default, c50 = default, c51 = default;
        TVector c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++, a += rows, b += 2 * width)
        {
            TVector b0 = TOps.Load(b), b1 = TOps.Load(b + width);
            TVector x = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(x, b0, c00); c01 = TOps.MultiplyAdd(x, b1, c01);
            x = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(x, b0, c10); c11 = TOps.MultiplyAdd(x, b1, c11);
            x = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(x, b0, c20); c21 = TOps.MultiplyAdd(x, b1, c21);
            x = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(x, b0, c30); c31 = TOps.MultiplyAdd(x, b1, c31);
            if (rows > 4)
            {
                x = TOps.Broadcast(a[4]);
                c40 = TOps.MultiplyAdd(x, b0, c40); c41 = TOps.MultiplyAdd(x, b1, c41);
                x = TOps.Broadcast(a[5]);
                c50 = TOps.MultiplyAdd(x, b0, c50); c51 = TOps.MultiplyAdd(x, b1, c51);
            }
            if (rows > 6)
            {
                x = TOps.Broadcast(a[6]);
                c60 = TOps.MultiplyAdd(x, b0, c60); c61 = TOps.MultiplyAdd(x, b1, c61);
                x = TOps.Broadcast(a[7]);
                c70 = TOps.MultiplyAdd(x, b0, c70); c71 = TOps.MultiplyAdd(x, b1, c71);
            }
        }
        StoreRow(c, c00, c01, alpha, beta);
        StoreRow(c + ldc, c10, c11, alpha, beta);
        StoreRow(c + 2 * ldc, c20, c21, alpha, beta);
        StoreRow(c + 3 * ldc, c30, c31, alpha, beta);
        if (rows > 4)
        {
            StoreRow(c + 4 * ldc, c40, c41, alpha, beta);
            StoreRow(c + 5 * ldc, c50, c51, alpha, beta);
        }
        if (rows > 6)
        {
            StoreRow(c + 6 * ldc, c60, c61, alpha, beta);
            StoreRow(c + 7 * ldc, c70, c71, alpha, beta);
        }
    }

    // Multiply and add kept separate (not fused) so an edge tile, finished in scalar code by
    // GemmDriver, gets the very same rounding as a full tile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, TVector left, TVector right, float alpha, float beta)
    {
        TVector scale = TOps.Broadcast(alpha);
        float* c1 = c + TOps.Width;
        if (beta == 0)
        {
            TOps.Store(TOps.Multiply(left, scale), c);
            TOps.Store(TOps.Multiply(right, scale), c1);
        }
        else
        {
            TVector keep = TOps.Broadcast(beta);
            TOps.Store(TOps.Add(TOps.Multiply(left, scale), TOps.Multiply(TOps.Load(c), keep)), c);
            TOps.Store(TOps.Add(TOps.Multiply(right, scale), TOps.Multiply(TOps.Load(c1), keep)), c1);
        }
    }
}
