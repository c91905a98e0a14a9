using System.Numerics.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>Global average pooling over each plane of a batch of images [N, C, H*W]: one mean a plane.</summary>
internal static class GlobalPoolingKernels
{
    /// <summary>y[p] = mean of plane p of <paramref name="x"/>, for <paramref name="planes"/> planes of <paramref name="pixels"/> values.</summary>
    public static void Average(ReadOnlySpan<float> x, Span<float> y, int planes, int pixels)
    {
        if (x.Length != planes * pixels || y.Length != planes)
            throw new ArgumentException($"{planes} planes of {pixels} values need {planes * pixels} inputs and {planes} outputs; got {x.Length} and {y.Length}.");
        float scale = 1f / pixels;
        for (int p = 0; p < planes; p++) y[p] = TensorPrimitives.Sum(x.Slice(p * pixels, pixels)) * scale;
    }

    /// <summary>dx = dy[p] / pixels over every value of plane p: each value has the same share of its mean.</summary>
    public static void AverageBackward(ReadOnlySpan<float> dy, Span<float> dx, int planes, int pixels)
    {
        if (dx.Length != planes * pixels || dy.Length != planes)
            throw new ArgumentException($"{planes} planes of {pixels} values need {planes} output gradients and {planes * pixels} input gradients; got {dy.Length} and {dx.Length}.");
        float scale = 1f / pixels;
        for (int p = 0; p < planes; p++) dx.Slice(p * pixels, pixels).Fill(dy[p] * scale);
    }
}
