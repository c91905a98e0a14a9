using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;

namespace MLNetDeep.Engine.Tests.Kernels;

/// <summary>
/// One GEMM problem with seeded random operands, and its reference answer from MathNet.Numerics
/// in double precision. The operands' padding beyond each row (leading dimension larger than
/// the row) is NaN, so reading it would poison the result.
/// </summary>
public sealed class GemmReference
{
    private static readonly ConcurrentDictionary<(bool, bool, int, int, int, int), GemmReference> s_cache = new();

    private GemmReference(bool transA, bool transB, int m, int n, int k, int pad)
    {
        (TransA, TransB, M, N, K) = (transA, transB, m, n, k);
        // A fixed seed per problem (HashCode is randomised per process, so not that).
        var random = new Random(((m * 31 + n) * 31 + k) * 31 + pad * 4 + (transA ? 2 : 0) + (transB ? 1 : 0));
        (int aRows, int aCols) = transA ? (k, m) : (m, k);
        (int bRows, int bCols) = transB ? (n, k) : (k, n);
        (Lda, Ldb, Ldc) = (aCols + pad, bCols + pad, n + pad);
        A = Fill(random, aRows, aCols, Lda);
        B = Fill(random, bRows, bCols, Ldb);
        C = Fill(random, m, n, Ldc);

        Matrix<double> a = ToMatrix(A, aRows, aCols, Lda), b = ToMatrix(B, bRows, bCols, Ldb);
        Matrix<double> opA = transA ? a.Transpose() : a, opB = transB ? b.Transpose() : b;
        Product = opA * opB;
        AbsoluteProduct = opA.PointwiseAbs() * opB.PointwiseAbs();
    }

    public bool TransA { get; }
    public bool TransB { get; }
    public int M { get; }
    public int N { get; }
    public int K { get; }
    public int Lda { get; }
    public int Ldb { get; }
    public int Ldc { get; }

    /// <summary>A as stored (k x m when transposed), values in [-1, 1), NaN padding.</summary>
    public float[] A { get; }

    /// <summary>B as stored (n x k when transposed), values in [-1, 1), NaN padding.</summary>
    public float[] B { get; }

    /// <summary>An initial C, values in [-1, 1), NaN padding.</summary>
    public float[] C { get; }

    /// <summary>op(A) * op(B), exact but for double rounding.</summary>
    public Matrix<double> Product { get; }

    /// <summary>|op(A)| * |op(B)|: the scale of the rounding error of each element.</summary>
    public Matrix<double> AbsoluteProduct { get; }

    /// <summary>The problem for these sizes, built once per test run.</summary>
    public static GemmReference For(bool transA, bool transB, int m, int n, int k, int pad = 0) =>
        s_cache.GetOrAdd((transA, transB, m, n, k, pad), key => new GemmReference(key.Item1, key.Item2, key.Item3, key.Item4, key.Item5, key.Item6));

    private static float[] Fill(Random random, int rows, int cols, int ld)
    {
        var values = new float[rows == 0 ? 0 : (rows - 1) * ld + cols];
        Array.Fill(values, float.NaN);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++) values[i * ld + j] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }

    private static Matrix<double> ToMatrix(float[] values, int rows, int cols, int ld) =>
        Matrix<double>.Build.Dense(rows, cols, (i, j) => values[i * ld + j]);
}
