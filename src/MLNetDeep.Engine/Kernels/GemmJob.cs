namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Splits one product over a pool's threads by cutting C into bands of
/// whole tiles, rows or columns, never k: each band is packed and computed alone, so every
/// element is computed by the same operations whatever the thread count.
/// </summary>
/// <remarks>
/// One job object a calling thread (thread-static), filled and reused on each call, so that
/// concurrent callers never share one and a call allocates nothing.
/// </remarks>
internal sealed class GemmJob<TKernel> : IParallelWork where TKernel : struct, IGemmMicroKernel
{
    /// <summary>
    /// Below this many multiply-adds (a few microseconds of work), signalling a worker costs
    /// more than it can save. Measured on 2 cores: 64x64x64 ran 1.5 times faster on two
    /// threads; a worker that wakes too late costs only the signal, as the caller then takes
    /// every band itself.
    /// </summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>
    /// Bands a thread: more bands than threads let the others take over the share of a thread
    /// whose core is busy, at the price of packing the other operand once a band.
    /// </summary>
    private const int BandsPerThread = 4;

    /// <summary>
    /// Rows or columns a band at least. A band repacks the whole other operand, a cost that
    /// falls against the band's work as one over its width, whatever the tile size.
    /// </summary>
    private const int MinBandWidth = 128;

    [ThreadStatic]
    private static GemmJob<TKernel>? t_job;

    private GemmOperands _operands;
    private bool _splitColumns;
    private int _bands;

    /// <summary>Computes the whole product, in parallel when it is large enough and the pool is free.</summary>
    public static void Execute(in GemmOperands g, WorkerPool pool)
    {
        int threads = pool.Threads;
        if (threads > 1 && (long)g.M * g.N * g.K >= ParallelThreshold)
        {
            GemmJob<TKernel> job = t_job ??= new GemmJob<TKernel>();
            job.Plan(g, threads);
            bool ran = job._bands > 1 && pool.TryRun(job, job._bands);
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
        int start = (int)((long)tiles * part / _bands) * tile;
        int end = Math.Min(extent, (int)((long)tiles * (part + 1) / _bands) * tile);
        PackingBuffers buffers = PackingBuffers.ForCurrentThread;
        if (_splitColumns)
            GemmDriver<TKernel>.Run(_operands, 0, _operands.M, start, end, buffers);
        else
            GemmDriver<TKernel>.Run(_operands, start, end, 0, _operands.N, buffers);
    }

    /// <summary>
    /// Chooses the side to cut and the number of bands. Each band packs all of the other
    /// operand (A for column bands, B for row bands), so the cut goes across the larger side
    /// of C and the smaller operand is the one packed again, unless that side's tiles do not
    /// share evenly among the bands and the other side's do (512x784 from 64 row tiles rather
    /// than 24.5 column tiles: 212 instead of 189 GFLOP/s on two threads).
    /// </summary>
    private void Plan(in GemmOperands g, int threads)
    {
        int rowTiles = (g.M + TKernel.Rows - 1) / TKernel.Rows;
        int columnTiles = (g.N + TKernel.Columns - 1) / TKernel.Columns;
        _splitColumns = g.N >= g.M
            ? columnTiles >= threads || columnTiles >= rowTiles
            : rowTiles < threads && columnTiles > rowTiles;
        int rowBands = Bands(g.M, rowTiles, threads), columnBands = Bands(g.N, columnTiles, threads);
        double rowSpread = Spread(rowTiles, rowBands), columnSpread = Spread(columnTiles, columnBands);
        if (_splitColumns && columnSpread > 1.02 && rowSpread < columnSpread && rowTiles >= threads) _splitColumns = false;
        else if (!_splitColumns && rowSpread > 1.02 && columnSpread < rowSpread && columnTiles >= threads) _splitColumns = true;
        _bands = _splitColumns ? columnBands : rowBands;
        _operands = g;
    }

    /// <summary>The bands for a side of <paramref name="extent"/> rows or columns in <paramref name="tiles"/> tiles: a whole number a thread when there are more than threads.</summary>
    private static int Bands(int extent, int tiles, int threads)
    {
        int bands = Math.Clamp(extent / MinBandWidth, Math.Min(threads, tiles), threads * BandsPerThread);
        // With 3 bands on 2 threads one thread would compute twice what the other does.
        return bands > threads ? bands - bands % threads : bands;
    }

    /// <summary>The largest band's tiles over the mean band's: 1 when the tiles share evenly.</summary>
    private static double Spread(int tiles, int bands) => (double)((tiles + bands - 1) / bands) * bands / tiles;
}
