using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The passes of batch normalisation over one plane of an image channel (S = H*W values), each one loop with its
/// operations fused, in vectors. After a pooled layer a plane is short (196 values at 14x14, 49 at 7x7) and a
/// channel has one plane a sample, so a call into a library routine for each of a plane's five steps cost more
/// than the arithmetic: these loops read a plane once a pass.
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

    /// <summary>centred = x - mean, and the sum of the squares of centred.</summary>
    public static float Centre(ReadOnlySpan<float> x, float mean, Span<float> centred)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pc = ref MemoryMarshal.GetReference(centred);
        int n = x.Length, w = Vector<float>.Count, i = 0;
        var m = new Vector<float>(mean);
        var acc = Vector<float>.Zero;
        for (; i + w <= n; i += w)
        {
            var d = Load(ref px, i) - m;
            Store(d, ref pc, i);
            acc += d * d;
        }
        float sum = Vector.Sum(acc);
        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref px, i) - mean;
            Unsafe.Add(ref pc, i) = d;
            sum += d * d;
        }
        return sum;
    }

    /// <summary>x̂ = centred · invStd in place, y = γ x̂ + β (the product and the sum each rounded).</summary>
    public static void Normalize(Span<float> xhat, float invStd, float gamma, float beta, Span<float> y)
    {
        ref float ph = ref MemoryMarshal.GetReference(xhat);
        ref float py = ref MemoryMarshal.GetReference(y);
        int n = xhat.Length, w = Vector<float>.Count, i = 0;
        Vector<float> s = new(invStd), g = new(gamma), b = new(beta);
        for (; i + w <= n; i += w)
        {
            var h = Load(ref ph, i) * s;
            Store(h, ref ph, i);
            Store(h * g + b, ref py, i);
        }
        for (; i < n; i++)
        {
            float h = Unsafe.Add(ref ph, i) * invStd;
            Unsafe.Add(ref ph, i) = h;
            Unsafe.Add(ref py, i) = h * gamma + beta;
        }
    }

    /// <summary>The sums Σ dy and Σ dy x̂ of a plane, in one pass.</summary>
    public static (float SumDy, float SumDyXhat) GradientSums(ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat)
    {
        ref float pd = ref MemoryMarshal.GetReference(dy);
        ref float ph = ref MemoryMarshal.GetReference(xhat);
        int n = dy.Length, w = Vector<float>.Count, i = 0;
        Vector<float> sumDy = Vector<float>.Zero, sumDyXhat = Vector<float>.Zero;
        for (; i + w <= n; i += w)
        {
            var d = Load(ref pd, i);
            sumDy += d;
            sumDyXhat += d * Load(ref ph, i);
        }
        float a = Vector.Sum(sumDy), b = Vector.Sum(sumDyXhat);
        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref pd, i);
            a += d;
            b += d * Unsafe.Add(ref ph, i);
        }
        return (a, b);
    }

    /// <summary>dx = (dy · dyScale + x̂ · xhatScale) + shift, each product and sum rounded, in that order.</summary>
    public static void InputGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, float dyScale, float xhatScale, float shift, Span<float> dx)
    {
        ref float pd = ref MemoryMarshal.GetReference(dy);
        ref float ph = ref MemoryMarshal.GetReference(xhat);
        ref float px = ref MemoryMarshal.GetReference(dx);
        int n = dy.Length, w = Vector<float>.Count, i = 0;
        Vector<float> a = new(dyScale), b = new(xhatScale), c = new(shift);
        for (; i + w <= n; i += w) Store(Load(ref pd, i) * a + Load(ref ph, i) * b + c, ref px, i);
        for (; i < n; i++) Unsafe.Add(ref px, i) = Unsafe.Add(ref pd, i) * dyScale + Unsafe.Add(ref ph, i) * xhatScale + shift;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Load(ref float source, int at) => Vector.LoadUnsafe(ref source, (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<float> value, ref float destination, int at) => value.StoreUnsafe(ref destination, (nuint)at);
}
