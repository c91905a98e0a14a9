using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace MLNetDeep.Bench.Compare;

/// <summary>
/// The processor's single-precision FMA peak on one core: 16 independent Vector512 fused
/// multiply-add chains held in registers (enough to cover the FMA latency), no memory traffic.
/// The ceiling any GEMM on this machine can approach.
/// </summary>
public static class FmaPeak
{
    public static double Measure()
    {
        Chains(1000);
        double best = 0;
        for (int round = 0; round < 5; round++)
        {
            const long iterations = 50_000_000;
            var watch = Stopwatch.StartNew();
            float sink = Chains(iterations);
            double gflops = iterations * 16 * Vector512<float>.Count * 2 / watch.Elapsed.TotalSeconds / 1e9;
            if (float.IsNaN(sink)) throw new InvalidOperationException("unreachable: keeps the result alive");
            best = Math.Max(best, gflops);
        }
        return best;
    }

    private static float Chains(long iterations)
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
        var sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
        return Vector512.Sum(sum);
    }
}
