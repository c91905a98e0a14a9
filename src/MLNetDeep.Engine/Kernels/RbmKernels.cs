using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The element-wise work of restricted Boltzmann machines that <see cref="TensorPrimitives"/> has no
/// single call for: stochastic binary states from probabilities and pre-drawn uniforms, and the
/// softplus of the free energy.
/// </summary>
internal static class RbmKernels
{
    /// <summary>
    /// Binary states: <c>states[i] = uniforms[i] &lt; probabilities[i] ? 1 : 0</c>, so that a state is 1
    /// with its probability when the uniform is drawn from [0, 1). The spans may be the same.
    /// </summary>
    public static void SampleBernoulli(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> uniforms, Span<float> states)
    {
        if (uniforms.Length != probabilities.Length || states.Length != probabilities.Length)
            throw new ArgumentException($"Spans must have equal lengths; got {probabilities.Length}, {uniforms.Length} and {states.Length}.");
        var pv = MemoryMarshal.Cast<float, Vector<float>>(probabilities);
        var uv = MemoryMarshal.Cast<float, Vector<float>>(uniforms);
        var sv = MemoryMarshal.Cast<float, Vector<float>>(states);
        for (int i = 0; i < pv.Length; i++)
            sv[i] = Vector.ConditionalSelect(Vector.LessThan(uv[i], pv[i]), Vector<float>.One, Vector<float>.Zero);
        for (int i = pv.Length * Vector<float>.Count; i < probabilities.Length; i++)
            states[i] = uniforms[i] < probabilities[i] ? 1f : 0f;
    }

    /// <summary>
    /// <c>y = log(1 + e^x)</c>, computed as <c>max(x, 0) + log(1 + e^-|x|)</c> so that it neither
    /// overflows for large x nor loses the small values for very negative x. <paramref name="y"/> must
    /// not overlap <paramref name="x"/>.
    /// </summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException($"Spans must have equal lengths; got {x.Length} and {y.Length}.");
        if (x.Overlaps(y)) throw new ArgumentException("The output must not overlap the input.", nameof(y));
        TensorPrimitives.Abs(x, y);
        TensorPrimitives.Negate(y, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.LogP1(y, y);
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (int i = 0; i < xv.Length; i++) yv[i] += Vector.Max(xv[i], Vector<float>.Zero);
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++) y[i] += MathF.Max(x[i], 0f);
    }
}
