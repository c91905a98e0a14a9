namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Splits one product over <see cref="KernelThreads.Count"/> threads by cutting C into bands of
/// whole tiles, rows or columns, never k: each thread packs and computes its band alone, so
/// every element is computed by the same operations whatever the thread count.
/// </summary>
/// <remarks>
/// One job object a calling thread (thread-static), filled and reused on each call, so that
/// concurrent callers never share one and a call allocates nothing.
/// </remarks>
internal sealed class GemmJob<TKernel> : IParallelWork where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Below this many multiply-adds, waking a worker costs more than it saves.</summary>
    private const long ParallelThreshold = 1L << 20;

    [ThreadStatic]
    private static GemmJob<TKernel>? t_job;

    private GemmOperands _operands;
    private bool _splitColumns;
    private int _parts;

    /// <summary>Computes the whole product, in parallel when it is large enough and the pool is free.</summary>
    public static void Execute(in GemmOperands g)
    {
        int parts = PlanParts(g, out bool splitColumns);
        if (parts > 1)
        {
            GemmJob<TKernel> job = t_job ??= new GemmJob<TKernel>();
            job._operands = g;
            job._splitColumns = splitColumns;
            job._parts = parts;
            bool ran = WorkerPool.Shared.TryRun(job, parts);
            job._operands = default;
            if (ran) return;
        }
        GemmDriver<TKernel>.Run(g, 0, g.M, 0, g.N, PackingBuffers.ForCurrentThread);
    }

    /// <summary>Computes band <paramref name="part"/> of C.</summary>
    public void Run(int part)
    {
        int tile = _splitColumns ? TKernel.Columns : TKernel.Rows;
        int extent = _splitColumns ? _operands.N : _operands.M;
        int tiles = (extent + tile - 1) / tile;
        // Band boundaries fall on whole tiles, so partial tiles occur only at the matrix edge.
        int start = (int)((long)tiles * part / _parts) * tile;
        int end = Math.Min(extent, (int)((long)tiles * (part + 1) / _parts) * tile);
        PackingBuffers buffers = PackingBuffers.ForCurrentThread;
        if (_splitColumns)
            GemmDriver<TKernel>.Run(_operands, 0, _operands.M, start, end, buffers);
        else
            GemmDriver<TKernel>.Run(_operands, start, end, 0, _operands.N, buffers);
    }

    /// <summary>
    /// How many bands, and along which side. Each band packs all of the other operand, so the
    /// split goes across the larger side of C: that duplicates the smaller operand's packing.
    /// </summary>
    private static int PlanParts(in GemmOperands g, out bool splitColumns)
    {
        splitColumns = false;
        int threads = KernelThreads.Count;
        if (threads == 1 || (long)g.M * g.N * g.K < ParallelThreshold) return 1;
        int rowTiles = (g.M + TKernel.Rows - 1) / TKernel.Rows;
        int columnTiles = (g.N + TKernel.Columns - 1) / TKernel.Columns;
        // Packing B costs k x n per band when rows are split; packing A costs m x k when columns are.
        splitColumns = g.N >= g.M
            ? columnTiles >= threads || columnTiles >= rowTiles
            : rowTiles < threads && columnTiles > rowTiles;
        return Math.Min(threads, splitColumns ? columnTiles : rowTiles);
    }
}
