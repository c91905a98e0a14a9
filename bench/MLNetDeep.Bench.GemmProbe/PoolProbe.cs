using System.Diagnostics;
using MLNetDeep.Engine.Kernels;

/// <summary>
/// What a run of the kernels' worker pool costs beside the work it shares: parts that only spin for a set time
/// (0 to 5 us, 2 and 4 of them) run on a two-thread pool, back to back as a row's layers run; the time a run
/// against the ideal (the parts' time over two threads). The gap is the pool's start, its claims and its end.
/// Median of 9 samples of 20,000 runs after 100,000 to warm up.
/// </summary>
internal static class PoolProbe
{
    private sealed class Spin(double us) : IParallelWork
    {
        private readonly long _ticks = (long)(us * Stopwatch.Frequency / 1e6);
        public void Run(int part)
        {
            long end = Stopwatch.GetTimestamp() + _ticks;
            while (Stopwatch.GetTimestamp() < end) { }
        }
    }

    public static void Run()
    {
        var pool = ComputeContext.Create(2).Pool;
        foreach (double us in new[] { 0.0, 1, 2.5, 5 })
            foreach (int parts in new[] { 2, 4 })
            {
                var work = new Spin(us);
                for (int i = 0; i < 100000; i++) pool.RunAll(work, parts);
                var samples = new double[9];
                for (int r = 0; r < 9; r++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < 20000; i++) pool.RunAll(work, parts);
                    samples[r] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / 20000;
                }
                Array.Sort(samples);
                Console.WriteLine($"{parts} parts of {us} us on 2 threads: {samples[4]:F2} us a run (ideal {parts * us / 2:F2}); spread {samples[0]:F2}-{samples[^1]:F2}");
            }
    }
}
