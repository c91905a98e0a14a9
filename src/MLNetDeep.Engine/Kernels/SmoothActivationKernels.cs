using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Element-wise forward and backward passes of the smooth activations GELU, SiLU, SELU and Softplus. Each
/// element is computed on its own, so the bits never depend on how a caller splits an array.
/// </summary>
internal static class SmoothActivationKernels
{
    /// <summary>SELU's λ (Klambauer et al. 2017, the published constant).</summary>
    public const float SeluLambda = 1.0507009873554804934f;

    /// <summary>SELU's α (Klambauer et al. 2017, the published constant).</summary>
    public const float SeluAlpha = 1.6732632423543772848f;

    private const double InvSqrt2 = 0.70710678118654752440, InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>y = x Φ(x) = 0.5 x (1 + erf(x/√2)), the exact GELU, through erfc so that negative x keeps its digits.</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        ActivationKernels.CheckLengths(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(v * 0.5 * ErrorFunction.Erfc(-v * InvSqrt2));
        }
    }

    /// <summary>dx = dy (Φ(x) + x φ(x)), φ the standard normal density.</summary>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ActivationKernels.CheckLengths(x.Length, dy.Length, dx.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            double derivative = 0.5 * ErrorFunction.Erfc(-v * InvSqrt2) + v * InvSqrt2Pi * Math.Exp(-0.5 * v * v);
            dx[i] = (float)(dy[i] * derivative);
        }
    }

    /// <summary>y = x σ(x), SiLU (Swish with β = 1).</summary>
    public static void Silu(ReadOnlySpan<float> x, Span<float> y)
    {
        ActivationKernels.CheckLengths(x.Length, y.Length);
        TensorPrimitives.Sigmoid(x, y);
        TensorPrimitives.Multiply(y, x, y);
    }

    /// <summary>dx = dy (σ + y (1 - σ)), from the forward output y = x σ(x); σ is computed again into dx.</summary>
    public static void SiluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ActivationKernels.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        TensorPrimitives.Sigmoid(x, dx);
        var sv = MemoryMarshal.Cast<float, Vector<float>>(dx);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(dy);
        for (int i = 0; i < sv.Length; i++)
            sv[i] = gv[i] * (sv[i] + yv[i] * (Vector<float>.One - sv[i]));
        for (int i = sv.Length * Vector<float>.Count; i < x.Length; i++)
            dx[i] = dy[i] * (dx[i] + y[i] * (1f - dx[i]));
    }

    /// <summary>
    /// y = λ x for x &gt; 0, else λ α (e^x - 1), in double with e^x - 1 kept exact near 0 (its series below 1e-5,
    /// where e^x - 1 in float would keep no digits).
    /// </summary>
    public static void Selu(ReadOnlySpan<float> x, Span<float> y)
    {
        ActivationKernels.CheckLengths(x.Length, y.Length);
        const double lambda = SeluLambda, lambdaAlpha = (double)SeluLambda * SeluAlpha;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            double expm1 = v > -1e-5 ? v * (1 + v * (0.5 + v / 6)) : Math.Exp(v) - 1;
            y[i] = (float)(v > 0 ? lambda * v : lambdaAlpha * expm1);
        }
    }

    /// <summary>dx = λ dy for x &gt; 0, else dy (y + λ α), using y = λ α (e^x - 1).</summary>
    public static void SeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ActivationKernels.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        const float lambdaAlpha = SeluLambda * SeluAlpha;
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dx);
        var lambda = new Vector<float>(SeluLambda);
        var la = new Vector<float>(lambdaAlpha);
        for (int i = 0; i < xv.Length; i++)
            dv[i] = Vector.ConditionalSelect(Vector.GreaterThan(xv[i], Vector<float>.Zero), gv[i] * lambda, gv[i] * (yv[i] + la));
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            dx[i] = x[i] > 0 ? dy[i] * SeluLambda : dy[i] * (y[i] + lambdaAlpha);
    }

    /// <summary>
    /// y = ln(1 + e^x) as max(x, 0) + ln(1 + e^-|x|), in double: never overflows, and keeps its digits where it
    /// is tiny (large negative x, where y ≈ e^x).
    /// </summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> y)
    {
        ActivationKernels.CheckLengths(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i], t = Math.Exp(-Math.Abs(v));
            // ln(1 + t) loses digits when t is tiny: there its series, whose next term is below 3e-16 t.
            double log1p = t < 1e-5 ? t * (1 - t * (0.5 - t / 3)) : Math.Log(1 + t);
            y[i] = (float)(Math.Max(v, 0) + log1p);
        }
    }

    /// <summary>dx = dy σ(x).</summary>
    public static void SoftplusBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ActivationKernels.CheckLengths(x.Length, dy.Length, dx.Length);
        TensorPrimitives.Sigmoid(x, dx);
        TensorPrimitives.Multiply(dx, dy, dx);
    }
}
