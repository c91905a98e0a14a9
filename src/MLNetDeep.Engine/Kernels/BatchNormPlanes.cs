using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The passes of batch normalisation over one plane of an image channel (S = H*W values), each one loop with its
/// operations fused, in vectors. After a pooled layer a plane is short (196 values at 14x14, 49 at 7x7) and a
/// channel has one plane a sample, so a call into a library routine for each of a plane's five steps cost more
/// than the arithmetic: these loops read a plane once a pass. The normalised values x̂ are never stored: each pass
/// that needs them computes (x - mean) · invStd again from the layer's input, with the forward pass's roundings, one
/// tensor written and read fewer a step. A ReLU after the normalisation may be applied in the same passes.
/// </summary>
/// <remarks>
/// Sums run in a fixed order (vector lanes, then the lanes added in order, then the tail), so a plane's sum does not
/// depend on where it is computed. The element-wise results round exactly as the separate steps did: a product and
/// a sum are each rounded, never fused.
/// </remarks>
internal static class BatchNormPlanes
{
    /// <summary>The sum of a plane.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        int n = x.Length, w = Vector<float>.Count, i = 0;
        var acc = Vector<float>.Zero;
        for (; i + w <= n; i += w) acc += Load(ref px, i);
        float sum = Vector.Sum(acc);
        for (; i < n; i++) sum += Unsafe.Add(ref px, i);
        return sum;
    }

    /// <summary>The sum of the squares of x - mean.</summary>
    public static float SquaredDeviations(ReadOnlySpan<float> x, float mean)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        int n = x.Length, w = Vector<float>.Count, i = 0;
        var m = new Vector<float>(mean);
        var acc = Vector<float>.Zero;
        for (; i + w <= n; i += w)
        {
            var d = Load(ref px, i) - m;
            acc += d * d;
        }
        float sum = Vector.Sum(acc);
        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref px, i) - mean;
            sum += d * d;
        }
        return sum;
    }

    /// <summary>
    /// y = γ x̂ + β with x̂ = (x - mean) · invStd (each difference, product and sum rounded), then max(0, y) when
    /// <paramref name="rectify"/>, as <see cref="ActivationKernels.Relu"/> computes it, on the plane while it is in L1.
    /// </summary>
    public static void Normalize(ReadOnlySpan<float> x, float mean, float invStd, float gamma, float beta, bool rectify, Span<float> y)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int n = x.Length, w = Vector<float>.Count, i = 0;
        Vector<float> m = new(mean), s = new(invStd), g = new(gamma), b = new(beta);
        for (; i + w <= n; i += w) Store((Load(ref px, i) - m) * s * g + b, ref py, i);
        for (; i < n; i++) Unsafe.Add(ref py, i) = (Unsafe.Add(ref px, i) - mean) * invStd * gamma + beta;
        if (rectify) ActivationKernels.LeakyReluRange(y, y, 0f);
    }

    /// <summary>
    /// The sums Σ dy and Σ dy x̂ of a plane in one pass, x̂ = (x - mean) · invStd recomputed as the forward pass
    /// rounded it. With <paramref name="rectified"/> (the plane's rectified outputs), dy is first the ReLU's
    /// gradient, dy where the output is above 0, else dy · 0, as <see cref="ActivationKernels.ReluBackward"/> gives it.
    /// </summary>
    public static (float SumDy, float SumDyXhat) GradientSums(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float mean, float invStd,
        ReadOnlySpan<float> rectified)
    {
        ref float pd = ref MemoryMarshal.GetReference(dy);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pr = ref MemoryMarshal.GetReference(rectified);
        bool masked = !rectified.IsEmpty;
        int n = dy.Length, w = Vector<float>.Count, i = 0;
        Vector<float> m = new(mean), s = new(invStd), sumDy = Vector<float>.Zero, sumDyXhat = Vector<float>.Zero;
        for (; i + w <= n; i += w)
        {
            var d = masked ? Mask(Load(ref pr, i), Load(ref pd, i)) : Load(ref pd, i);
            sumDy += d;
            sumDyXhat += d * ((Load(ref px, i) - m) * s);
        }
        float a = Vector.Sum(sumDy), b = Vector.Sum(sumDyXhat);
        for (; i < n; i++)
        {
            float d = masked ? Mask(Unsafe.Add(ref pr, i), Unsafe.Add(ref pd, i)) : Unsafe.Add(ref pd, i);
            a += d;
            b += d * ((Unsafe.Add(ref px, i) - mean) * invStd);
        }
        return (a, b);
    }

    /// <summary>
    /// dx = (dy · dyScale + x̂ · xhatScale) + shift, each product and sum rounded, in that order, x̂ and dy as in
    /// <see cref="GradientSums"/>.
    /// </summary>
    public static void InputGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float mean, float invStd, ReadOnlySpan<float> rectified,
        float dyScale, float xhatScale, float shift, Span<float> dx)
    {
        ref float pd = ref MemoryMarshal.GetReference(dy);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pr = ref MemoryMarshal.GetReference(rectified);
        ref float po = ref MemoryMarshal.GetReference(dx);
        bool masked = !rectified.IsEmpty;
        int n = dy.Length, w = Vector<float>.Count, i = 0;
        Vector<float> m = new(mean), s = new(invStd), a = new(dyScale), b = new(xhatScale), c = new(shift);
        for (; i + w <= n; i += w)
        {
            var d = masked ? Mask(Load(ref pr, i), Load(ref pd, i)) : Load(ref pd, i);
            Store(d * a + (Load(ref px, i) - m) * s * b + c, ref po, i);
        }
        for (; i < n; i++)
        {
            float d = masked ? Mask(Unsafe.Add(ref pr, i), Unsafe.Add(ref pd, i)) : Unsafe.Add(ref pd, i);
            Unsafe.Add(ref po, i) = d * dyScale + (Unsafe.Add(ref px, i) - mean) * invStd * xhatScale + shift;
        }
    }

    // The ReLU's derivative from its output, as ActivationKernels.LeakyReluBackwardRange computes it with alpha 0:
    // the output is above 0 exactly where the ReLU's input was.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Mask(Vector<float> output, Vector<float> dy) =>
        Vector.ConditionalSelect(Vector.GreaterThan(output, Vector<float>.Zero), dy, dy * Vector<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Mask(float output, float dy) => output > 0 ? dy : 0f * dy;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float source, int at) => Vector.LoadUnsafe(ref source, (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> value, ref float destination, int at) => value.StoreUnsafe(ref destination, (nuint)at);
}
