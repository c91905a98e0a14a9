using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Tests.Kernels;

[Collection(nameof(KernelSettingsCollection))]
public sealed class GemmTests
{
    private static readonly GemmPath[] s_paths = [GemmPath.Vector512, GemmPath.Vector256, GemmPath.Portable];
    private static readonly (bool TransA, bool TransB)[] s_transposes = [(false, false), (false, true), (true, false), (true, true)];

    // m x n x k: a single element; primes, so no tile or block divides anything; tall, wide;
    // k longer than several KC blocks; one row and one column past whole tiles.
    private static readonly (int M, int N, int K)[] s_shapes =
        [(1, 1, 1), (37, 53, 71), (1000, 3, 17), (3, 1000, 17), (5, 7, 2000), (9, 33, 300)];

    // The products of the 784-512-512-10 MLP at batch 128: forward (NN), the weight gradient
    // X^T dY (TN, 784x128 by 128x512) and the input gradient dY W^T (NT, 128x512 by 512x784).
    private static readonly (bool TransA, bool TransB, int M, int N, int K)[] s_mlpProducts =
    [
        (false, false, 128, 512, 784), (false, false, 128, 512, 512), (false, false, 128, 10, 512),
        (true, false, 784, 512, 128), (false, true, 128, 784, 512),
    ];

    // Large enough to be split over threads; the last has partial tiles on both sides.
    private static readonly (bool TransA, bool TransB, int M, int N, int K)[] s_parallelProducts =
    [
        (false, false, 128, 512, 784), (true, false, 784, 512, 128), (false, true, 128, 784, 512),
        (true, true, 301, 517, 263),
    ];

    private GemmPath _path = GemmPath.Auto;
    private int _threads;

    /// <summary>The context the test's products run with: its path and thread count.</summary>
    private ComputeContext Compute => ComputeContext.Create(_threads, _path);

    public static TheoryData<GemmPath, bool, bool, int, int, int> PathsTransposesShapes() =>
        OnEveryPath(from t in s_transposes from s in s_shapes select (t.TransA, t.TransB, s.M, s.N, s.K));

    public static TheoryData<GemmPath, bool, bool, int, int, int> PathsMlpShapes() => OnEveryPath(s_mlpProducts);

    public static TheoryData<GemmPath> Paths() => new(s_paths);

    [Theory]
    [MemberData(nameof(PathsTransposesShapes))]
    [MemberData(nameof(PathsMlpShapes))]
    public void MatchesReference(GemmPath path, bool transA, bool transB, int m, int n, int k)
    {
        if (!Use(path)) return;
        _threads = 2;
        CheckProduct(GemmReference.For(transA, transB, m, n, k), alpha: 1, beta: 0);
    }

    [Theory]
    [MemberData(nameof(PathsTransposesShapes))]
    public void AppliesAlphaAndBetaWithPaddedLeadingDimensions(GemmPath path, bool transA, bool transB, int m, int n, int k)
    {
        if (!Use(path)) return;
        _threads = 2;
        var problem = GemmReference.For(transA, transB, m, n, k, pad: 3);
        CheckProduct(problem, alpha: -1.5f, beta: 0.75f);
        CheckProduct(problem, alpha: 0.5f, beta: 1f);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void BetaZeroDoesNotReadC(GemmPath path)
    {
        if (!Use(path)) return;
        // Many KC blocks of k, so C is written and re-read several times after the first.
        var problem = GemmReference.For(false, false, 37, 53, 700, pad: 2);
        CheckProduct(problem, alpha: 2f, beta: 0f, initialC: float.NaN);
    }

    [Fact]
    public void AlphaZeroOrEmptyKOnlyScalesC()
    {
        float[] nan = [float.NaN, float.NaN, float.NaN, float.NaN];
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply(Compute, false, false, 2, 2, 2, 0f, nan, 2, nan, 2, 0.5f, c, 2);
        Assert.Equal([0.5f, 1f, 1.5f, 2f], c);

        Gemm.Multiply(Compute, false, false, 2, 2, 0, 1f, [], 1, [], 2, 2f, c, 2);
        Assert.Equal([1f, 2f, 3f, 4f], c);

        float[] nanC = [float.NaN, float.NaN, float.NaN, float.NaN];
        Gemm.Multiply(Compute, true, true, 2, 2, 0, 1f, [], 2, [], 1, 0f, nanC, 2);
        Assert.Equal([0f, 0f, 0f, 0f], nanC);
    }

    [Fact]
    public void EmptyOutputTouchesNothing()
    {
        float[] c = [7f];
        Gemm.Multiply(Compute, false, false, 0, 1, 3, 1f, [], 3, [1, 2, 3], 1, 0f, c, 1);
        Gemm.Multiply(Compute, false, false, 1, 0, 3, 1f, [1, 2, 3], 3, [], 1, 0f, c, 1);
        Assert.Equal([7f], c);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ThreadCountDoesNotChangeOneBit(GemmPath path)
    {
        if (!Use(path)) return;
        foreach (var (transA, transB, m, n, k) in s_parallelProducts)
        {
            var problem = GemmReference.For(transA, transB, m, n, k);
            float[] single = Run(problem, threads: 1);
            var pool = ComputeContext.Create(2, path).Pool;
            long parallelRuns = pool.Runs;
            float[] two = Run(problem, threads: 2);
            Assert.True(pool.Runs > parallelRuns, "The two-thread product did not run on the pool.");
            float[] three = Run(problem, threads: 3);
            float[] again = Run(problem, threads: 2);
            AssertBitIdentical(single, two);
            AssertBitIdentical(single, three);
            AssertBitIdentical(single, again);
        }
    }

    [Fact]
    public void ConcurrentCallersGetTheirOwnResults()
    {
        _threads = 2;
        // Several callers at once: one gets the pool, the others run alone; all must be right.
        var problems = s_parallelProducts.Select(p => GemmReference.For(p.TransA, p.TransB, p.M, p.N, p.K)).ToArray();
        float[][] expected = problems.Select(p => Run(p, threads: 1)).ToArray();
        _threads = 2;
        var results = new float[problems.Length][];
        var start = new Barrier(problems.Length);
        var threads = Enumerable.Range(0, problems.Length).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int repeat = 0; repeat < 5; repeat++) results[t] = Run(problems[t]);
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        for (int t = 0; t < problems.Length; t++) AssertBitIdentical(expected[t], results[t]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SteadyStateCallAllocatesNothing(int threads)
    {
        _threads = threads;
        var p = GemmReference.For(false, false, 128, 512, 784);
        var c = new float[p.C.Length];
        void Call() => Gemm.Multiply(Compute, p.TransA, p.TransB, p.M, p.N, p.K, 1f, p.A, p.Lda, p.B, p.Ldb, 0f, c, p.Ldc);
        for (int i = 0; i < 3; i++) Call();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Call();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        // The workers' allocations are not the caller's: count the whole process. Other threads
        // of the test host allocate now and then, so measure single calls and take the quietest;
        // a pool that allocated per call would allocate in every one.
        long quietest = long.MaxValue;
        for (int round = 0; round < 10; round++)
        {
            long total = GC.GetTotalAllocatedBytes(precise: true);
            Call();
            quietest = Math.Min(quietest, GC.GetTotalAllocatedBytes(precise: true) - total);
        }
        Assert.Equal(0, quietest);
    }

    [Fact]
    public void ForcingAPathTheProcessorLacksThrows()
    {
        foreach (GemmPath path in Enum.GetValues<GemmPath>())
        {
            if (ComputeContext.IsSupported(path))
                Assert.NotEqual(GemmPath.Auto, ComputeContext.Create(1, path).GemmPath);
            else
                Assert.Throws<NotSupportedException>(() => ComputeContext.Create(1, path));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeContext.Create(1, (GemmPath)42));
        Assert.True(ComputeContext.IsSupported(GemmPath.Auto));
        Assert.True(ComputeContext.IsSupported(GemmPath.Portable));
    }

    [Fact]
    public void ThreadCountMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeContext.Create(-1));
        Assert.Equal(1, ComputeContext.Create(1).Threads);
        Assert.Equal(Environment.ProcessorCount, ComputeContext.Create(0).Threads);
        Assert.Same(ComputeContext.Create(2), ComputeContext.Create(2));
    }

    [Fact]
    public void RejectsBadArgumentsNamingThem()
    {
        float[] six = new float[6], twelve = new float[12];
        // A 2x3 by 3x2 product, stored NN: lda 3, ldb 2, ldc 2.
        AssertNames("m", () => Gemm.Multiply(Compute, false, false, -1, 2, 3, 1, six, 3, six, 2, 0, twelve, 2));
        AssertNames("n", () => Gemm.Multiply(Compute, false, false, 2, -1, 3, 1, six, 3, six, 2, 0, twelve, 2));
        AssertNames("k", () => Gemm.Multiply(Compute, false, false, 2, 2, -1, 1, six, 3, six, 2, 0, twelve, 2));
        AssertNames("lda", () => Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six, 2, six, 2, 0, twelve, 2));
        AssertNames("lda", () => Gemm.Multiply(Compute, true, false, 2, 2, 3, 1, six, 1, six, 2, 0, twelve, 2));
        AssertNames("ldb", () => Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six, 3, six, 1, 0, twelve, 2));
        AssertNames("ldb", () => Gemm.Multiply(Compute, false, true, 2, 2, 3, 1, six, 3, six, 2, 0, twelve, 2));
        AssertNames("ldc", () => Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six, 3, six, 2, 0, twelve, 1));
        AssertNames("a", () => Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six.AsSpan(0, 5), 3, six, 2, 0, twelve, 2));
        AssertNames("a", () => Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six, 4, six, 2, 0, twelve, 2));
        AssertNames("b", () => Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six, 3, six.AsSpan(0, 5), 2, 0, twelve, 2));
        AssertNames("b", () => Gemm.Multiply(Compute, false, true, 2, 2, 3, 1, six, 3, six, 4, 0, twelve, 2));
        AssertNames("c", () => Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six, 3, six, 2, 0, twelve.AsSpan(0, 3), 2));
        AssertNames("c", () => Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six, 3, six, 2, 0, twelve.AsSpan(0, 6), 5));
        // Exactly long enough: the last row needs only its own elements, not a full stride.
        Gemm.Multiply(Compute, false, false, 2, 2, 3, 1, six, 3, six, 2, 0, twelve.AsSpan(0, 7), 5);
    }

    private static TheoryData<GemmPath, bool, bool, int, int, int> OnEveryPath(
        IEnumerable<(bool TransA, bool TransB, int M, int N, int K)> products)
    {
        var data = new TheoryData<GemmPath, bool, bool, int, int, int>();
        foreach (GemmPath path in s_paths)
            foreach (var p in products) data.Add(path, p.TransA, p.TransB, p.M, p.N, p.K);
        return data;
    }

    private static void AssertNames(string parameter, Action call)
    {
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
    }

    /// <summary>Forces <paramref name="path"/>; false (and the test passes vacuously) when this processor lacks it.</summary>
    private bool Use(GemmPath path)
    {
        if (!ComputeContext.IsSupported(path)) return false;
        _path = path;
        return true;
    }

    private float[] Run(GemmReference p, int threads)
    {
        _threads = threads;
        return Run(p);
    }

    private float[] Run(GemmReference p)
    {
        var c = (float[])p.C.Clone();
        Gemm.Multiply(Compute, p.TransA, p.TransB, p.M, p.N, p.K, 1.25f, p.A, p.Lda, p.B, p.Ldb, -0.5f, c, p.Ldc);
        return c;
    }

    /// <summary>
    /// Runs the product and compares each element with the double-precision reference.
    /// </summary>
    /// <remarks>
    /// Tolerance: every element is a float32 sum of k products, scaled by alpha and added to
    /// beta * C. Along any path from an input to the result there are at most 2k + 3 roundings
    /// (a fused multiply-add rounds once per step of k, an unfused one twice; the partial sums of
    /// the KC blocks add fewer steps than they save; then alpha, beta and the final add). The
    /// classical bound (Higham, Accuracy and Stability of Numerical Algorithms, 3.1) gives
    /// |computed - exact| &lt;= gamma(2k + 3) * (|alpha| (|op(A)| |op(B)|)_ij + |beta c_ij|),
    /// gamma(n) = n u / (1 - n u), u = 2^-24. A rigorous bound, so no seed can make it flaky, and
    /// a wrong or missing term (of size about (|op(A)| |op(B)|)_ij / k) breaks it for every k here.
    /// </remarks>
    private void CheckProduct(GemmReference p, float alpha, float beta, float? initialC = null)
    {
        float[] c = (float[])p.C.Clone();
        if (initialC is float fill)
        {
            for (int i = 0; i < p.M; i++) c.AsSpan(i * p.Ldc, p.N).Fill(fill);
        }
        float[] before = (float[])c.Clone();
        Gemm.Multiply(Compute, p.TransA, p.TransB, p.M, p.N, p.K, alpha, p.A, p.Lda, p.B, p.Ldb, beta, c, p.Ldc);

        const double u = 1.0 / (1 << 24);
        double gamma = (2 * p.K + 3) * u / (1 - (2 * p.K + 3) * u);
        for (int i = 0; i < p.M; i++)
        {
            for (int j = 0; j < p.N; j++)
            {
                double old = beta == 0 ? 0 : before[i * p.Ldc + j];
                double expected = alpha * p.Product[i, j] + beta * old;
                double bound = gamma * (Math.Abs(alpha) * p.AbsoluteProduct[i, j] + Math.Abs(beta * old));
                double actual = c[i * p.Ldc + j];
                if (!(Math.Abs(actual - expected) <= bound))
                {
                    Assert.Fail($"{Compute.GemmPath} {(p.TransA ? 'T' : 'N')}{(p.TransB ? 'T' : 'N')} {p.M}x{p.N}x{p.K} " +
                        $"alpha {alpha} beta {beta}: C[{i},{j}] = {actual}, expected {expected} within {bound:G3}.");
                }
            }
        }
        // The padding between rows of C is not C's: it must come back untouched.
        for (int i = 0; i + 1 < p.M; i++)
        {
            for (int j = p.N; j < p.Ldc; j++)
                Assert.Equal(BitConverter.SingleToInt32Bits(before[i * p.Ldc + j]), BitConverter.SingleToInt32Bits(c[i * p.Ldc + j]));
        }
    }

    private static void AssertBitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"Element {i} differs: {expected[i]:R} against {actual[i]:R}.");
        }
    }
}
