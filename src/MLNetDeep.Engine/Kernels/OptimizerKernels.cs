using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MLNetDeep.Engine.Kernels.OptimizerRules;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Runs an optimizer's update rule (an <see cref="IOptimizerRule"/>) over a parameter's values, its gradient and its
/// state in a single fused pass (one read and one write of each array), with <see cref="Vector{T}"/> lanes. The pass
/// also sums the squares of the gradient it reads, so the trainer's gradient norms cost no second read of the gradients.
/// </summary>
/// <remarks>
/// Results are deterministic: every element goes through the same sequence of IEEE single-precision
/// operations whatever the vector width and whatever its position in the array, so an array may be
/// updated whole or in ranges that start at multiples of the vector width with the same bits.
/// </remarks>
internal static class OptimizerKernels
{
    /// <summary>
    /// Applies <paramref name="rule"/> to every element of <paramref name="value"/>, with the state arrays the rule
    /// keeps (<paramref name="slot0"/> when it has one, <paramref name="slot1"/> when it has two; pass default for
    /// the others), each as long as the value. Returns the sum of the squares of <paramref name="gradient"/> (as given,
    /// before any decay), accumulated in double lane by lane in the order of the elements, then across the lanes.
    /// </summary>
    public static double Update<TRule>(Span<float> value, ReadOnlySpan<float> gradient, Span<float> slot0, Span<float> slot1, TRule rule)
        where TRule : struct, IOptimizerRule
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        if (TRule.Slots > 0) CheckLength(value, slot0.Length, nameof(slot0));
        if (TRule.Slots > 1) CheckLength(value, slot1.Length, nameof(slot1));
        return Run(value, gradient, slot0, slot1, rule);
    }

    private static void CheckLength(Span<float> value, int length, string name)
    {
        if (length != value.Length)
            throw new ArgumentException($"{name} has {length} elements; the parameter has {value.Length}.", name);
    }

    // The rule is a struct type argument so that the JIT compiles one specialised, inlined loop per rule:
    // each formula is written once and there is no call or allocation per element. It is passed by value
    // (one copy per call) and then by ref, never as an `in` parameter: the compiler cannot know that a
    // generic struct is readonly, and would copy it before every Apply. Compiled fully optimised from the first call,
    // as the GEMM's kernels are: the tiered, profile-guided build of this loop ran at half the speed (GemmProbe --adam).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Run<TRule>(Span<float> value, ReadOnlySpan<float> gradient, Span<float> slot0, Span<float> slot1, TRule rule)
        where TRule : struct, IOptimizerRule
    {
        ref float w = ref MemoryMarshal.GetReference(value);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float s0 = ref MemoryMarshal.GetReference(slot0);
        ref float s1 = ref MemoryMarshal.GetReference(slot1);
        int width = Vector<float>.Count;
        int full = value.Length - value.Length % width;
        // The sums stay in registers only while nothing takes their address: the tail gets them by value and gives
        // them back. Passed by reference to it, they lived on the stack for the whole loop, and each step waited on
        // the store of the step before: half the loop's speed where a 32-byte slot crossed a cache line.
        Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
        for (int i = 0; i < full; i += width)
            ApplyAt(ref rule, ref w, ref g, ref s0, ref s1, (nuint)i, ref low, ref high);
        if (full < value.Length)
        {
            (low, high) = Tail(value[full..], gradient[full..], TRule.Slots > 0 ? slot0[full..] : default,
                TRule.Slots > 1 ? slot1[full..] : default, rule, low, high);
        }
        return Vector.Sum(low) + Vector.Sum(high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyAt<TRule>(ref TRule rule, ref float w, ref float g, ref float s0, ref float s1, nuint i,
        ref Vector<double> low, ref Vector<double> high)
        where TRule : struct, IOptimizerRule
    {
        Vector<float> vw = Vector.LoadUnsafe(ref w, i);
        Vector<float> vg = Vector.LoadUnsafe(ref g, i);
        // In double: the squares of a vanishing gradient (1e-25 and less) would underflow in single precision.
        Vector.Widen(vg, out Vector<double> gl, out Vector<double> gh);
        low += gl * gl;
        high += gh * gh;
        Vector<float> v0 = TRule.Slots > 0 ? Vector.LoadUnsafe(ref s0, i) : default;
        Vector<float> v1 = TRule.Slots > 1 ? Vector.LoadUnsafe(ref s1, i) : default;
        rule.Apply(ref vw, vg, ref v0, ref v1);
        vw.StoreUnsafe(ref w, i);
        if (TRule.Slots > 0) v0.StoreUnsafe(ref s0, i);
        if (TRule.Slots > 1) v1.StoreUnsafe(ref s1, i);
    }

    // The last (length % width) elements go through the same vector code on a zero-padded copy on the
    // stack, so no rule needs a second, scalar spelling that could drift from the first. The padding
    // lanes may compute 0/0; they are discarded, and their gradient of 0 adds nothing to the squares.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Vector<double> Low, Vector<double> High) Tail<TRule>(Span<float> value, ReadOnlySpan<float> gradient,
        Span<float> slot0, Span<float> slot1, TRule rule, Vector<double> low, Vector<double> high)
        where TRule : struct, IOptimizerRule
    {
        int width = Vector<float>.Count;
        Span<float> pad = stackalloc float[4 * width];
        Span<float> w = pad[..width], g = pad.Slice(width, width), s0 = pad.Slice(2 * width, width), s1 = pad.Slice(3 * width, width);
        value.CopyTo(w);
        gradient.CopyTo(g);
        slot0.CopyTo(s0);
        slot1.CopyTo(s1);
        ApplyAt(ref rule, ref MemoryMarshal.GetReference(w), ref MemoryMarshal.GetReference(g),
            ref MemoryMarshal.GetReference(s0), ref MemoryMarshal.GetReference(s1), 0, ref low, ref high);
        w[..value.Length].CopyTo(value);
        s0[..slot0.Length].CopyTo(slot0);
        s1[..slot1.Length].CopyTo(slot1);
        return (low, high);
    }
}
