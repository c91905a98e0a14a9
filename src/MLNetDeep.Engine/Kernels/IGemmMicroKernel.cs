namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// A register-tiled micro-kernel: computes one <see cref="Rows"/> x <see cref="Columns"/> tile of
/// C from packed panels. Static members on a struct let <see cref="GemmDriver{TKernel}"/> be
/// specialised per kernel by the JIT, so tile sizes are constants and the call is direct.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the tile (MR): how many values of A are broadcast per step of k.</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of the tile (NR): how many values of B are loaded per step of k.</summary>
    static abstract int Columns { get; }

    /// <summary>
    /// C[0..Rows, 0..Columns] = alpha * (packedA * packedB) + beta * C, over <paramref name="kc"/>
    /// steps of k. packedA holds Rows values per step, packedB Columns values per step. When
    /// <paramref name="beta"/> is 0, C is not read.
    /// </summary>
    static abstract void Run(int kc, float* packedA, float* packedB, float* c, int ldc, float alpha, float beta);

    /// <summary>
    /// As <see cref="Run"/> for a tile of 4 rows (packedA holds 4 values per step): the last rows
    /// of A, where a full tile would compute mostly padding (see <see cref="GemmPacking.PanelHeight"/>).
    /// Each element is summed by the same operations as in a full tile, so the bits do not depend
    /// on which of the two computed it.
    /// </summary>
    static abstract void RunFourRows(int kc, float* packedA, float* packedB, float* c, int ldc, float alpha, float beta);
}
