namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Single-precision general matrix product, row-major:
/// <c>C = alpha * op(A) * op(B) + beta * C</c>, where op(A) is m x k and op(B) is k x n.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// Computes <c>C = alpha * op(A) * op(B) + beta * C</c>. With <paramref name="transA"/> false, A is
    /// m x k with row stride <paramref name="lda"/>; with it true, A is stored k x m. Likewise for B
    /// (k x n, or n x k when transposed). C is m x n with row stride <paramref name="ldc"/>.
    /// When <paramref name="beta"/> is 0, C is not read (NaN in C does not propagate).
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        // Placeholder reference implementation; replaced by the packed kernel.
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
        }
    }
}
