using System.Diagnostics;
using System.Runtime.InteropServices;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Bench.Compare;

/// <summary>Debian's OpenBLAS (libopenblas0-pthread), called directly.</summary>
internal static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    public const int RowMajor = 101, NoTrans = 111, Trans = 112;

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "openblas_get_corename")]
    private static partial nint GetCoreName();

    [LibraryImport(Library, EntryPoint = "openblas_get_config")]
    private static partial nint GetConfig();

    public static string CoreName => Marshal.PtrToStringAnsi(GetCoreName()) ?? "?";
    public static string Config => Marshal.PtrToStringAnsi(GetConfig()) ?? "?";
}

/// <summary>
/// GFLOP/s of one single-precision product on the MLP's shapes (batch 128), by the engine's
/// GEMM or by OpenBLAS, with 1 and 2 threads. A shape is written M x K x N, as in
/// bench/MLNetDeep.Bench: C[M x N] = op(A)[M x K] op(B)[K x N].
/// </summary>
public static unsafe class GemmComparison
{
    /// <summary>The products of one MLP training step that matter (the 512 -> 10 layer is negligible).</summary>
    public static readonly (string Name, bool TransA, bool TransB, int M, int K, int N)[] Shapes =
    [
        ("fwd 1: X W1ᵀ", false, true, 128, 784, 512),
        ("fwd 2: H W2ᵀ", false, true, 128, 512, 512),
        ("bwd dW1 = dYᵀ X", true, false, 512, 128, 784),
        ("bwd dW2 = dYᵀ H", true, false, 512, 128, 512),
        ("bwd dX2 = dY W2", false, false, 128, 512, 512),
    ];

    public static string Key(int shape, int threads) => $"{Shapes[shape].M}x{Shapes[shape].K}x{Shapes[shape].N}|{(Shapes[shape].TransA ? 'T' : 'N')}{(Shapes[shape].TransB ? 'T' : 'N')}|{threads}";

    public static Measurement Run(bool openBlas)
    {
        var m = new Measurement { Config = openBlas ? "gemm-openblas" : "gemm-engine" };
        if (openBlas)
        {
            m.Notes["corename"] = OpenBlas.CoreName;
            m.Notes["config"] = OpenBlas.Config;
            m.Notes["OPENBLAS_CORETYPE"] = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)";
        }
        else m.Notes["path"] = ComputeContext.Default.GemmPath.ToString() + (ComputeContext.IsSupported(GemmPath.Vector512) ? " (Vector512 supported)" : "");
        var rng = new Random(1);
        foreach (int threads in new[] { 1, 2 })
        {
            var compute = ComputeContext.Create(threads);
            if (openBlas) OpenBlas.SetNumThreads(threads);
            for (int s = 0; s < Shapes.Length; s++)
            {
                var (_, ta, tb, M, K, N) = Shapes[s];
                var a = Enumerable.Range(0, M * K).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                var b = Enumerable.Range(0, K * N).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
                var c = new float[M * N];
                int lda = ta ? M : K, ldb = tb ? K : N;
                fixed (float* pa = a, pb = b, pc = c)
                {
                    float* xa = pa, xb = pb, xc = pc; // fixed locals cannot be captured
                    Action multiply = openBlas
                        ? () => OpenBlas.Sgemm(OpenBlas.RowMajor, ta ? OpenBlas.Trans : OpenBlas.NoTrans, tb ? OpenBlas.Trans : OpenBlas.NoTrans,
                            M, N, K, 1f, xa, lda, xb, ldb, 0f, xc, N)
                        : () => Gemm.Multiply(compute, ta, tb, M, N, K, 1f, new ReadOnlySpan<float>(xa, a.Length), lda, new ReadOnlySpan<float>(xb, b.Length), ldb, 0f, new Span<float>(xc, c.Length), N);
                    double seconds = MedianSeconds(multiply);
                    m.Values[Key(s, threads)] = 2.0 * M * N * K / seconds / 1e9;
                }
            }
        }
        return m;
    }

    /// <summary>The median time of one call over 11 samples of about 40 ms each, after a warm-up.</summary>
    private static double MedianSeconds(Action call)
    {
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.ElapsedMilliseconds < 200) { call(); calls++; }
        int perSample = Math.Max(1, (int)(calls * 40 / Math.Max(1, watch.ElapsedMilliseconds)));
        var samples = new double[11];
        for (int i = 0; i < samples.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int j = 0; j < perSample; j++) call();
            samples[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds / perSample;
        }
        Array.Sort(samples);
        return samples[samples.Length / 2];
    }
}
