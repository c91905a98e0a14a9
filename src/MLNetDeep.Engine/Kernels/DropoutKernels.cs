using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Inverted-dropout masks drawn in wide vectors. The random bits of element <c>i</c> are a hash of
/// a per-pass key and <c>i / 2</c>: SplitMix64 (Steele, Lea and Flood 2014) evaluated at
/// <c>key + (i / 2) * golden</c>, its low 32 bits for the even element and its high 32 bits for the
/// odd one. The mask therefore needs no generator state beyond the key, and it is the same
/// integer arithmetic whatever the vector width: bit-identical on every machine.
/// </summary>
internal static class DropoutKernels
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const ulong Mix1 = 0xBF58476D1CE4E5B9UL;
    private const ulong Mix2 = 0x94D049BB133111EBUL;

    /// <summary>The 32-bit threshold below which an element is dropped: rate x 2^32, so P(drop) = rate within 2^-32.</summary>
    public static uint Threshold(float rate)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        return (uint)Math.Min(Math.Floor(rate * 4294967296.0), uint.MaxValue);
    }

    /// <summary>
    /// Writes <c>mask[i] = 0</c> where element i is dropped and <paramref name="keep"/> elsewhere,
    /// and <c>output[i] = input[i] * mask[i]</c>, for one pass keyed by <paramref name="key"/>.
    /// </summary>
    public static void Apply(ulong key, uint threshold, float keep, ReadOnlySpan<float> input, Span<float> mask, Span<float> output)
    {
        int n = input.Length;
        if (mask.Length < n) throw new ArgumentException($"mask has {mask.Length} elements; the input has {n}.", nameof(mask));
        if (output.Length < n) throw new ArgumentException($"output has {output.Length} elements; the input has {n}.", nameof(output));
        ApplyRange(key, threshold, keep, input, mask, output, 0);
    }

    /// <summary>
    /// <see cref="Apply(ulong, uint, float, ReadOnlySpan{float}, Span{float}, Span{float})"/> with large arrays shared among
    /// <paramref name="compute"/>'s threads: each element's mask is a function of the key and its index alone, so the
    /// bits are the same for any thread count.
    /// </summary>
    public static unsafe void Apply(ComputeContext compute, ulong key, uint threshold, float keep, ReadOnlySpan<float> input, Span<float> mask, Span<float> output)
    {
        int n = input.Length;
        if (mask.Length < n) throw new ArgumentException($"mask has {mask.Length} elements; the input has {n}.", nameof(mask));
        if (output.Length < n) throw new ArgumentException($"output has {output.Length} elements; the input has {n}.", nameof(output));
        if (n < ElementwiseJob.ParallelThreshold || compute.Threads == 1)
        {
            ApplyRange(key, threshold, keep, input, mask, output, 0);
            return;
        }
        fixed (float* px = input, pm = mask, py = output)
            ElementwiseJob.ForCurrentThread.RunDropout(compute.Pool, key, threshold, keep, px, pm, py, n);
    }

    /// <summary>dx = dy * mask, element by element; large arrays are shared among <paramref name="compute"/>'s threads.</summary>
    public static unsafe void Backward(ComputeContext compute, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> mask, Span<float> gradInput)
    {
        int n = gradOutput.Length;
        if (mask.Length < n) throw new ArgumentException($"mask has {mask.Length} elements; the gradient has {n}.", nameof(mask));
        if (gradInput.Length < n) throw new ArgumentException($"gradInput has {gradInput.Length} elements; the gradient has {n}.", nameof(gradInput));
        if (n < ElementwiseJob.ParallelThreshold || compute.Threads == 1)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradOutput, mask[..n], gradInput[..n]);
            return;
        }
        fixed (float* pg = gradOutput, pm = mask, pd = gradInput)
            ElementwiseJob.ForCurrentThread.Run(compute.Pool, ElementwiseJob.Operation.Multiply, pg, pm, pd, n, 0f);
    }

    /// <summary>
    /// Elements <paramref name="first"/> to <paramref name="first"/> + input.Length of a pass (even, so that each
    /// hash's two halves fall in one range): the spans hold only those elements.
    /// </summary>
    internal static void ApplyRange(ulong key, uint threshold, float keep, ReadOnlySpan<float> input, Span<float> mask, Span<float> output, int first)
    {
        int n = input.Length;
        key += (ulong)(first / 2) * Golden;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float m = ref MemoryMarshal.GetReference(mask);
        ref float y = ref MemoryMarshal.GetReference(output);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // 8 hashes give 16 elements.
            var offsets = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Golden;
            var limit = Vector512.Create(threshold);
            var keepV = Vector512.Create(keep);
            for (; i <= n - 16; i += 16)
            {
                var bits = Hash(Vector512.Create(key + (ulong)(i / 2) * Golden) + offsets).AsUInt32();
                var maskV = Vector512.ConditionalSelect(Vector512.LessThan(bits, limit).AsSingle(), Vector512<float>.Zero, keepV);
                maskV.StoreUnsafe(ref m, (nuint)i);
                (Vector512.LoadUnsafe(ref x, (nuint)i) * maskV).StoreUnsafe(ref y, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var offsets = Vector256.Create(0UL, 1, 2, 3) * Golden;
            var limit = Vector256.Create(threshold);
            var keepV = Vector256.Create(keep);
            for (; i <= n - 8; i += 8)
            {
                var bits = Hash(Vector256.Create(key + (ulong)(i / 2) * Golden) + offsets).AsUInt32();
                var maskV = Vector256.ConditionalSelect(Vector256.LessThan(bits, limit).AsSingle(), Vector256<float>.Zero, keepV);
                maskV.StoreUnsafe(ref m, (nuint)i);
                (Vector256.LoadUnsafe(ref x, (nuint)i) * maskV).StoreUnsafe(ref y, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            ulong h = Hash(key + (ulong)(i / 2) * Golden);
            uint bits = (i & 1) == 0 ? (uint)h : (uint)(h >> 32);
            float value = bits < threshold ? 0f : keep;
            Unsafe.Add(ref m, i) = value;
            Unsafe.Add(ref y, i) = Unsafe.Add(ref x, i) * value;
        }
    }

    /// <summary>SplitMix64's output function.</summary>
    internal static ulong Hash(ulong z)
    {
        z = (z ^ (z >> 30)) * Mix1;
        z = (z ^ (z >> 27)) * Mix2;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Hash(Vector512<ulong> z)
    {
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Mix1;
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Mix2;
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Hash(Vector256<ulong> z)
    {
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Mix1;
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Mix2;
        return z ^ Vector256.ShiftRightLogical(z, 31);
    }
}
