using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetDeep.Bench.Compare;

/// <summary>
/// The processor's single-precision FMA peak: independent fused multiply-add chains held in
/// registers (enough to cover the FMA latency on every pipe), no memory traffic, on one thread
/// a core. It uses the widest vector the processor runs natively: a Vector512 loop on a processor
/// without AVX-512 is emulated by two 256-bit halves plus glue and would measure the emulation,
/// not the chip. The ceiling any GEMM on this machine can approach.
/// </summary>
public static class FmaPeak
{
    /// <summary>The widest vector width with hardware FMA here: the one the peak is measured with.</summary>
    public static string Width =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "Vector512"
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? "Vector256"
        : "Vector256 (not native here: no AVX2 with FMA)";

    private static bool Is512 => Width == "Vector512";

    /// <summary>
    /// GFLOP/s of <paramref name="threads"/> threads running the chains at once (all of them
    /// together), the best of five rounds.
    /// </summary>
    public static double Measure(int threads)
    {
        Run(1000); // compiled to final code before timing
        double best = 0;
        for (int round = 0; round < 5; round++)
        {
            long iterations = Is512 ? 50_000_000 : 100_000_000;
            using var start = new Barrier(threads + 1);
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                if (double.IsNaN(Run(iterations))) throw new InvalidOperationException("unreachable: keeps the result alive");
            })).ToArray();
            foreach (var w in workers) w.Start();
            start.SignalAndWait();
            var watch = Stopwatch.StartNew();
            foreach (var w in workers) w.Join();
            double flops = (double)iterations * FlopsPerIteration * threads;
            best = Math.Max(best, flops / watch.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    private static double FlopsPerIteration => Is512 ? 16 * Vector512<float>.Count * 2 : 12 * Vector256<float>.Count * 2;

    private static float Run(long iterations) => Is512 ? Chains512(iterations) : Chains256(iterations);

    // 16 chains and the two operands fit AVX-512's 32 registers.
    private static float Chains512(long iterations)
    {
        var a = Vector512.Create(1.0000001f);
        var b = Vector512.Create(0.9999999f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(a, c0, b); c1 = Vector512.FusedMultiplyAdd(a, c1, b);
            c2 = Vector512.FusedMultiplyAdd(a, c2, b); c3 = Vector512.FusedMultiplyAdd(a, c3, b);
            c4 = Vector512.FusedMultiplyAdd(a, c4, b); c5 = Vector512.FusedMultiplyAdd(a, c5, b);
            c6 = Vector512.FusedMultiplyAdd(a, c6, b); c7 = Vector512.FusedMultiplyAdd(a, c7, b);
            c8 = Vector512.FusedMultiplyAdd(a, c8, b); c9 = Vector512.FusedMultiplyAdd(a, c9, b);
            c10 = Vector512.FusedMultiplyAdd(a, c10, b); c11 = Vector512.FusedMultiplyAdd(a, c11, b);
            c12 = Vector512.FusedMultiplyAdd(a, c12, b); c13 = Vector512.FusedMultiplyAdd(a, c13, b);
            c14 = Vector512.FusedMultiplyAdd(a, c14, b); c15 = Vector512.FusedMultiplyAdd(a, c15, b);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15);
    }

    // 12 chains and the two operands fit AVX2's 16 registers (16 chains would spill); 12 still
    // cover two FMA pipes of latency 4 to 5.
    private static float Chains256(long iterations)
    {
        var a = Vector256.Create(1.0000001f);
        var b = Vector256.Create(0.9999999f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector256<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(a, c0, b); c1 = Vector256.FusedMultiplyAdd(a, c1, b);
            c2 = Vector256.FusedMultiplyAdd(a, c2, b); c3 = Vector256.FusedMultiplyAdd(a, c3, b);
            c4 = Vector256.FusedMultiplyAdd(a, c4, b); c5 = Vector256.FusedMultiplyAdd(a, c5, b);
            c6 = Vector256.FusedMultiplyAdd(a, c6, b); c7 = Vector256.FusedMultiplyAdd(a, c7, b);
            c8 = Vector256.FusedMultiplyAdd(a, c8, b); c9 = Vector256.FusedMultiplyAdd(a, c9, b);
            c10 = Vector256.FusedMultiplyAdd(a, c10, b); c11 = Vector256.FusedMultiplyAdd(a, c11, b);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
