using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MLNetDeep.Engine.Kernels;

/// <summary>
/// How fast a core reads memory it has just read, by working-set size: each thread sums an array of its own again
/// and again, from L1 sizes to well past the last-level cache, on one thread and on two at once. The row product,
/// the optimizer's pass and the passes around a layer's products read a few hundred kilobytes to a few megabytes
/// a call; this is the rate they can reach on the machine at hand, where the GEMM's rate is set by its FMA peak.
/// Widest native vectors, eight independent sums (no add waits on the one before), median of 9 samples of about
/// 50 ms each a size.
/// </summary>
internal static class CacheStream
{
    public static void Run()
    {
        bool wide = Vector512Ops.IsSupported;
        Console.WriteLine($"Reads with {(wide ? "Vector512" : "Vector256")}; GB/s of one thread alone, then of each of two threads at once, and their sum");
        foreach (int kb in new[] { 16, 64, 256, 512, 1024, 1536, 2048, 4096, 16384 })
        {
            double one = Median(Sample(kb, 1, wide)[0]);
            double[][] two = Sample(kb, 2, wide);
            double a = Median(two[0]), b = Median(two[1]);
            Console.WriteLine($"{kb,6} KB a thread: 1 thread {one,6:F1} GB/s; 2 threads {a,6:F1} + {b,6:F1} = {a + b,6:F1} GB/s " +
                $"(1 thread's samples {two[0].Min():F0}-{two[0].Max():F0})");
        }
    }

    private static double Median(double[] samples)
    {
        var sorted = (double[])samples.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary>Nine samples of GB/s for each of <paramref name="threads"/> threads reading <paramref name="kb"/> KB each, all at once.</summary>
    private static double[][] Sample(int kb, int threads, bool wide)
    {
        int floats = kb * 256;
        var rates = new double[threads][];
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                var data = new float[floats];
                for (int i = 0; i < floats; i++) data[i] = i & 1023;
                int passes = Math.Max(1, (int)(12_000_000_000L / 240 / (floats * 4L)));  // about 50 ms at 240 GB/s, longer where slower
                Read(data, passes, wide);
                rates[index] = new double[9];
                for (int s = 0; s < 9; s++)
                {
                    start.SignalAndWait();
                    long t0 = Stopwatch.GetTimestamp();
                    float sum = Read(data, passes, wide);
                    rates[index][s] = (double)passes * floats * 4 / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
                    if (sum == -1) Console.Write(""); // keeps the sum alive
                }
            });
            workers[t].Start();
        }
        foreach (var worker in workers) worker.Join();
        return rates;
    }

    private static float Read(float[] data, int passes, bool wide) => wide ? Read512(data, passes) : Read256(data, passes);

    // One spelling a width rather than one over IVectorOps: the generic one kept its eight sums on the stack.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Read512(float[] data, int passes)
    {
        int n = data.Length - data.Length % 128;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        fixed (float* p = data)
            for (int pass = 0; pass < passes; pass++)
                for (float* q = p, end = p + n; q < end; q += 128)
                {
                    s0 += Vector512.Load(q); s1 += Vector512.Load(q + 16); s2 += Vector512.Load(q + 32); s3 += Vector512.Load(q + 48);
                    s4 += Vector512.Load(q + 64); s5 += Vector512.Load(q + 80); s6 += Vector512.Load(q + 96); s7 += Vector512.Load(q + 112);
                }
        return Vector512.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Read256(float[] data, int passes)
    {
        int n = data.Length - data.Length % 64;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        fixed (float* p = data)
            for (int pass = 0; pass < passes; pass++)
                for (float* q = p, end = p + n; q < end; q += 64)
                {
                    s0 += Vector256.Load(q); s1 += Vector256.Load(q + 8); s2 += Vector256.Load(q + 16); s3 += Vector256.Load(q + 24);
                    s4 += Vector256.Load(q + 32); s5 += Vector256.Load(q + 40); s6 += Vector256.Load(q + 48); s7 += Vector256.Load(q + 56);
                }
        return Vector256.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
    }
}
