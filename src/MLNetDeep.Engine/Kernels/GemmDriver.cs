namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The cache-blocked loops around a micro-kernel, for one rectangle of C. B is packed a KC x NC
/// block at a time (kept in L3), A an MC x KC block (kept in L2), and each KC x NR micro-panel
/// of B stays in L1 while every micro-panel of the A block streams past it.
/// </summary>
/// <remarks>
/// Every element of C is summed over k in the same order whatever rectangle it falls in: k is
/// split into the same KC blocks, each accumulated from zero in registers and then added to C.
/// That is what makes results independent of how C is split between threads.
/// </remarks>
internal static unsafe class GemmDriver<TKernel> where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Steps of k per packed block: a KC x NR panel of B (32 KB for 8 x 32) fits L1.</summary>
    internal const int Kc = 256;

    /// <summary>Rows of A per packed block: 256 x 256 floats is 256 KB, a quarter of a 1 MB L2.</summary>
    internal static int Mc => 256 / TKernel.Rows * TKernel.Rows;

    /// <summary>Columns of B per packed block: 256 x 4096 floats is 4 MB, a share of L3.</summary>
    private static int Nc => 4096 / TKernel.Columns * TKernel.Columns;

    /// <summary>
    /// Computes rows [rowStart, rowEnd) and columns [colStart, colEnd) of C. With
    /// <paramref name="shared"/>, the operand it holds is taken from there (packed once for every
    /// band; this is band <paramref name="part"/> of <paramref name="parts"/>), not packed here.
    /// </summary>
    public static void Run(in GemmOperands g, int rowStart, int rowEnd, int colStart, int colEnd, PackingBuffers buffers,
        GemmSharedPanels? shared = null, int part = 0, int parts = 1)
    {
        int mr = TKernel.Rows, nr = TKernel.Columns;
        // Equal blocks of at most KC: k = 784 as 4 x 196 rather than 3 x 256 + 16, whose last
        // block would pay a full load and store of C for a few steps. Depends on k alone, so
        // every band of C is blocked alike.
        int kcMax = GemmBlocking.KBlock(g.K, Kc);
        int mcMax = Math.Min(Mc, RoundUp(rowEnd - rowStart, mr));
        int ncMax = Math.Min(Nc, RoundUp(colEnd - colStart, nr));
        float* packedA = buffers.A.Get(mcMax * kcMax);
        float* packedB = buffers.B.Get(ncMax * kcMax);
        float* tile = buffers.Tile.Get(mr * nr);

        for (int jc = colStart; jc < colEnd; jc += ncMax)
        {
            int nc = Math.Min(ncMax, colEnd - jc);
            for (int pc = 0; pc < g.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, g.K - pc);
                // The first block of k applies beta; later blocks add to what it left.
                float beta = pc == 0 ? g.Beta : 1f;
                float* b = packedB;
                if (shared is { IsA: false }) b = shared.Get(g, jc, jc + nc, pc, kc, part, parts);
                else GemmPacking.PackB<TKernel>(g, pc, kc, jc, nc, packedB);
                for (int ic = rowStart; ic < rowEnd; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, rowEnd - ic);
                    float* a = packedA;
                    if (shared is { IsA: true }) a = shared.Get(g, ic, ic + mc, pc, kc, part, parts);
                    else GemmPacking.PackA<TKernel>(g, ic, mc, pc, kc, packedA);
                    MultiplyBlock(mc, nc, kc, a, b, g.C + (long)ic * g.Ldc + jc, g.Ldc, g.Alpha, beta, tile);
                }
            }
        }
    }

    private static void MultiplyBlock(int mc, int nc, int kc, float* packedA, float* packedB,
        float* c, int ldc, float alpha, float beta, float* tile)
    {
        int mr = TKernel.Rows, nr = TKernel.Columns;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* b = packedB + (long)jr * kc;
            for (int ir = 0, height; ir < mc; ir += height)
            {
                // The last rows of the block may be in 4-row panels, as GemmPacking laid them out.
                height = GemmPacking.PanelHeight(mc - ir, mr);
                int rows = Math.Min(height, mc - ir);
                float* a = packedA + (long)ir * kc;
                float* cTile = c + (long)ir * ldc + jr;
                if (rows == height && cols == nr)
                {
                    if (height == mr) TKernel.Run(kc, a, b, cTile, ldc, alpha, beta);
                    else TKernel.RunFourRows(kc, a, b, cTile, ldc, alpha, beta);
                }
                else
                {
                    // The packing zero-padded the panels, so the full tile is safe to compute;
                    // only its valid part is written to C.
                    if (height == mr) TKernel.Run(kc, a, b, tile, nr, 1f, 0f);
                    else TKernel.RunFourRows(kc, a, b, tile, nr, 1f, 0f);
                    StorePartialTile(tile, nr, cTile, ldc, rows, cols, alpha, beta);
                }
            }
        }
    }

    private static void StorePartialTile(float* tile, int ldt, float* c, int ldc, int rows, int cols, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++, tile += ldt, c += ldc)
        {
            // The same operations as the micro-kernels' store, so edges round like full tiles.
            if (beta == 0)
            {
                for (int j = 0; j < cols; j++) c[j] = tile[j] * alpha;
            }
            else
            {
                for (int j = 0; j < cols; j++) c[j] = tile[j] * alpha + c[j] * beta;
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

/// <summary>How k is cut into blocks; shared with <see cref="RowWeights"/>, whose sums must round as the GEMM's do.</summary>
internal static class GemmBlocking
{
    /// <summary>Equal blocks of at most <paramref name="kc"/> steps: the size of every block but the last.</summary>
    public static int KBlock(int k, int kc)
    {
        int kBlocks = (k + kc - 1) / kc;
        return (k + kBlocks - 1) / kBlocks;
    }
}
