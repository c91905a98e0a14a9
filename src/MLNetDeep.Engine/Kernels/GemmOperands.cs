namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The arguments of one product as raw pointers, so that they can be handed to worker threads
/// (spans cannot be stored). Valid only while <see cref="Gemm.Multiply"/> keeps the spans pinned.
/// </summary>
internal readonly unsafe struct GemmOperands(
    bool transA, bool transB, int m, int n, int k, float alpha,
    float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
{
    public readonly bool TransA = transA;
    public readonly bool TransB = transB;
    public readonly int M = m;
    public readonly int N = n;
    public readonly int K = k;
    public readonly float Alpha = alpha;
    public readonly float* A = a;
    public readonly int Lda = lda;
    public readonly float* B = b;
    public readonly int Ldb = ldb;
    public readonly float Beta = beta;
    public readonly float* C = c;
    public readonly int Ldc = ldc;

    /// <summary>Element (i, p) of op(A).</summary>
    public float OpA(int i, int p) => TransA ? A[(long)p * Lda + i] : A[(long)i * Lda + p];

    /// <summary>Element (p, j) of op(B).</summary>
    public float OpB(int p, int j) => TransB ? B[(long)j * Ldb + p] : B[(long)p * Ldb + j];
}
