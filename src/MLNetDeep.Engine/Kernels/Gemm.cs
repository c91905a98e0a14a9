using System.Numerics;
using System.Runtime.Intrinsics;

namespace MLNetDeep.Engine.Kernels;

using Kernel512 = GemmMicroKernel<Vector512Ops, Vector512<float>>;
using Kernel256 = GemmMicroKernel<Vector256Ops, Vector256<float>>;
using KernelPortable = GemmMicroKernel<PortableVectorOps, Vector<float>>;

/// <summary>
/// Single-precision general matrix product, row-major:
/// <c>C = alpha * op(A) * op(B) + beta * C</c>, where op(A) is m x k and op(B) is k x n.
/// </summary>
/// <remarks>
/// Blocks of A and B are packed into tile order and multiplied by a register-tiled micro-kernel
/// (the context's <see cref="GemmPath"/>); large products are split over the context's threads by
/// bands of C. For a given path the result is bit-identical whatever the thread count.
/// Safe to call from several threads at once.
/// </remarks>
internal static class Gemm
{
    /// <summary>
    /// Computes <c>C = alpha * op(A) * op(B) + beta * C</c> with <paramref name="compute"/>'s micro-kernel and
    /// threads. With <paramref name="transA"/> false, A is m x k with row stride <paramref name="lda"/>; with it
    /// true, A is stored k x m. Likewise for B (k x n, or n x k when transposed). C is m x n with row stride
    /// <paramref name="ldc"/>. When <paramref name="beta"/> is 0, C is not read (NaN in C does not propagate);
    /// when <paramref name="alpha"/> is 0 or k is 0, A and B are not read. C must not overlap A or B. Products
    /// of at most a few thousand multiply-adds do not pay for packing and take a direct loop on any path.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is shorter than
    /// the row it strides over, or a span is too short for its matrix; the exception names the argument.</exception>
    public static unsafe void Multiply(ComputeContext compute, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a), nameof(lda));
        CheckMatrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b), nameof(ldb));
        CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c)
        {
            var g = new GemmOperands(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            if (k == 0 || alpha == 0) GemmSmall.Scale(g);
            else if ((long)m * n * k <= GemmSmall.Threshold) GemmSmall.Multiply(g, fused: compute.GemmPath != GemmPath.Portable);
            else Execute(g, compute);
        }
    }

    private static void Execute(in GemmOperands g, ComputeContext compute)
    {
        switch (compute.GemmPath)
        {
            case GemmPath.Vector512: GemmJob<Kernel512>.Execute(g, compute.Pool); break;
            case GemmPath.Vector256: GemmJob<Kernel256>.Execute(g, compute.Pool); break;
            default: GemmJob<KernelPortable>.Execute(g, compute.Pool); break;
        }
    }

    private static void CheckMatrix(int length, int rows, int cols, int ld, string name, string ldName)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName, ld, $"The leading dimension of {name} must be at least {Math.Max(1, cols)}: {name} is stored {rows} x {cols}, row-major.");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements; stored {rows} x {cols} with leading dimension {ld} it needs at least {needed}.", name);
    }
}
