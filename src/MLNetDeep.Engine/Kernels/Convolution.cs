using System.Numerics.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// 2-D convolution of a batch of images [C, H, W] by filters [F, C*k*k] as im2col + GEMM, image
/// by image: y_n [F, H'W'] = W x columns(x_n) + b. Images are shared among a
/// <see cref="ComputeContext"/>'s threads, each unfolding into its own column matrix, which
/// stays in that core's cache for the product that reads it.
/// </summary>
/// <remarks>
/// The weight gradient sums over images. To keep that sum independent of the thread count,
/// images are taken in fixed groups of <see cref="BackwardGroupSize"/>: each group sums its images
/// in order, and the groups' sums are then added in group order, whichever thread ran which group.
/// </remarks>
internal static unsafe class Convolution
{
    /// <summary>Images a group of the backward pass: enough groups to balance two or more threads, few enough partial sums to add.</summary>
    public const int BackwardGroupSize = 4;

    /// <summary>
    /// The scratch <see cref="Backward"/> needs: a partial weight and bias gradient for every group
    /// but the first (which sums into the gradients themselves), or for every group when the weight
    /// gradient is computed transposed.
    /// </summary>
    public static int BackwardScratchLength(in ConvGeometry g, int filters, int batch) =>
        checked((Groups(batch) - (TransposedWeightGradient(g, filters) ? 0 : 1)) * (filters * g.PatchSize + filters));

    /// <summary>
    /// True when each group's weight gradient is computed transposed, [C*k*k, F] = columns x dyᵀ:
    /// when C*k*k is below F (a first layer on few channels), as then the long side of the product's
    /// register tile covers the filters rather than a handful of taps.
    /// </summary>
    internal static bool TransposedWeightGradient(in ConvGeometry g, int filters) => g.PatchSize < filters;

    /// <summary>y_n = W x columns(x_n) + b for each of <paramref name="batch"/> images.</summary>
    /// <param name="compute">The threads the images are shared among.</param>
    /// <param name="g">The window over one input image.</param>
    /// <param name="filters">F, the number of output channels.</param>
    /// <param name="batch">The number of images.</param>
    /// <param name="x">The images, [batch, C, H, W].</param>
    /// <param name="weight">The filters, [F, C*k*k], each row laid out (c, ky, kx).</param>
    /// <param name="bias">One value a filter.</param>
    /// <param name="y">The outputs, [batch, F, H', W'].</param>
    /// <param name="rectify">
    /// True to apply ReLU, max(0, y), to each image's outputs while they are still in its core's
    /// cache: the same bits as <see cref="ActivationKernels.Relu"/> applied afterwards, one pass over
    /// memory fewer.
    /// </param>
    public static void Forward(ComputeContext compute, in ConvGeometry g, int filters, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, Span<float> y, bool rectify = false)
    {
        Check(g, filters, batch, x.Length, weight.Length, bias.Length, y.Length);
        if (batch == 0) return;
        fixed (float* px = x, pw = weight, pb = bias, py = y)
            ConvolutionJob.ForCurrentThread.Forward(compute, g, filters, batch, px, pw, pb, py, rectify);
    }

    /// <summary>
    /// The gradients of the loss with respect to the filters, the biases and (unless
    /// <paramref name="dx"/> is empty) the images, given its gradient <paramref name="dy"/> with
    /// respect to the outputs of <see cref="Forward"/> on <paramref name="x"/>.
    /// </summary>
    /// <param name="compute">The threads the groups of images are shared among.</param>
    /// <param name="g">The window over one input image.</param>
    /// <param name="filters">F, the number of output channels.</param>
    /// <param name="batch">The number of images.</param>
    /// <param name="x">The images the forward pass read, [batch, C, H, W].</param>
    /// <param name="weight">The filters, [F, C*k*k].</param>
    /// <param name="dy">dLoss/dy, [batch, F, H', W'].</param>
    /// <param name="dWeight">Receives dLoss/dW, [F, C*k*k].</param>
    /// <param name="dBias">Receives dLoss/db, one value a filter.</param>
    /// <param name="dx">Receives dLoss/dx, [batch, C, H, W]; empty to skip it.</param>
    /// <param name="scratch">At least <see cref="BackwardScratchLength"/> values for the groups' partial sums.</param>
    /// <param name="rectified">
    /// Empty, or the outputs of a <see cref="Forward"/> with rectify: then <paramref name="dy"/> is
    /// the gradient with respect to the rectified outputs, and each image's is first passed back
    /// through the ReLU (dy where the output is above 0, else dy x 0), exactly as
    /// <see cref="ActivationKernels.ReluBackward"/> would, while in that core's cache.
    /// </param>
    public static void Backward(ComputeContext compute, in ConvGeometry g, int filters, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> dy, Span<float> dWeight, Span<float> dBias, Span<float> dx, Span<float> scratch,
        ReadOnlySpan<float> rectified = default)
    {
        Check(g, filters, batch, x.Length, weight.Length, dBias.Length, dy.Length);
        if (!rectified.IsEmpty && rectified.Length < (long)batch * filters * g.OutputPixels)
            throw new ArgumentException($"The rectified outputs have {rectified.Length} values; {batch} images need {(long)batch * filters * g.OutputPixels}.", nameof(rectified));
        if (dWeight.Length < weight.Length) throw new ArgumentException($"dWeight has {dWeight.Length} values; the filters have {weight.Length}.", nameof(dWeight));
        if (!dx.IsEmpty && dx.Length < (long)batch * g.ImageSize) throw new ArgumentException($"dx has {dx.Length} values; {batch} images need {(long)batch * g.ImageSize}.", nameof(dx));
        int groups = Groups(batch), partial = filters * g.PatchSize + filters;
        if (scratch.Length < BackwardScratchLength(g, filters, batch)) throw new ArgumentException($"The scratch has {scratch.Length} values; {groups} groups need {BackwardScratchLength(g, filters, batch)}.", nameof(scratch));
        int weights = filters * g.PatchSize;
        if (batch == 0)
        {
            dWeight[..weights].Clear();
            dBias[..filters].Clear();
            return;
        }
        fixed (float* px = x, pw = weight, pdy = dy, pdw = dWeight, pdb = dBias, pdx = dx, ps = scratch, pr = rectified)
            ConvolutionJob.ForCurrentThread.Backward(compute, g, filters, batch, px, pw, pdy, pdw, pdb, dx.IsEmpty ? null : pdx, ps, rectified.IsEmpty ? null : pr);
        AddGroups(g, filters, groups, dWeight[..weights], dBias[..filters], scratch);
    }

    /// <summary>
    /// <see cref="Forward"/> followed by a max pooling of its outputs (<see cref="PoolingKernels.MaxPool"/> with
    /// the window <paramref name="pool"/>), image by image: each image's outputs are pooled while in its core's
    /// cache and never written to memory. The same pooled outputs and winners, bit for bit, as the two passes.
    /// <paramref name="pool"/> is the window over one image's outputs [filters, H', W']; <paramref name="pooled"/>
    /// receives the pooled outputs [batch, filters, pooled height, pooled width], <paramref name="argmax"/> each
    /// one's winner, an index into the outputs of the whole batch; the other arguments are <see cref="Forward"/>'s.
    /// </summary>
    public static void ForwardPooled(ComputeContext compute, in ConvGeometry g, int filters, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, bool rectify, in ConvGeometry pool, Span<float> pooled, Span<int> argmax)
    {
        CheckPooling(g, filters, batch, pool, pooled.Length, argmax.Length);
        // No outputs are written; only the pooled ones are checked (above).
        Check(g, filters, batch, x.Length, weight.Length, bias.Length, (long)batch * filters * g.OutputPixels);
        if (batch == 0) return;
        fixed (float* px = x, pw = weight, pb = bias, pp = pooled)
        fixed (int* pa = argmax)
            ConvolutionJob.ForCurrentThread.ForwardPooled(compute, g, filters, batch, px, pw, pb, rectify, pool, pp, pa);
    }

    /// <summary>
    /// <see cref="Backward"/> for a <see cref="ForwardPooled"/>: given the gradient with respect to the pooled
    /// outputs, each image's output gradient is routed to the winners (and, when <paramref name="pooled"/> is not
    /// empty, passed back through the ReLU) in its core's cache; the same bits as the pooling's and the ReLU's
    /// backward passes followed by <see cref="Backward"/>. <paramref name="pooledGradient"/> is dLoss/d(pooled
    /// outputs); <paramref name="argmax"/> the winners <see cref="ForwardPooled"/> recorded; <paramref name="pooled"/>
    /// empty, or the pooled outputs of a <see cref="ForwardPooled"/> with rectify; the other arguments are
    /// <see cref="Backward"/>'s.
    /// </summary>
    public static void BackwardPooled(ComputeContext compute, in ConvGeometry g, int filters, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> weight,
        in ConvGeometry pool, ReadOnlySpan<float> pooledGradient, ReadOnlySpan<int> argmax, ReadOnlySpan<float> pooled,
        Span<float> dWeight, Span<float> dBias, Span<float> dx, Span<float> scratch)
    {
        CheckPooling(g, filters, batch, pool, pooledGradient.Length, argmax.Length);
        if (!pooled.IsEmpty && pooled.Length < pooledGradient.Length) throw new ArgumentException($"The pooled outputs have {pooled.Length} values; the gradient has {pooledGradient.Length}.", nameof(pooled));
        Check(g, filters, batch, x.Length, weight.Length, dBias.Length, (long)batch * filters * g.OutputPixels);
        if (dWeight.Length < weight.Length) throw new ArgumentException($"dWeight has {dWeight.Length} values; the filters have {weight.Length}.", nameof(dWeight));
        if (!dx.IsEmpty && dx.Length < (long)batch * g.ImageSize) throw new ArgumentException($"dx has {dx.Length} values; {batch} images need {(long)batch * g.ImageSize}.", nameof(dx));
        int groups = Groups(batch), weights = filters * g.PatchSize;
        if (scratch.Length < BackwardScratchLength(g, filters, batch)) throw new ArgumentException($"The scratch has {scratch.Length} values; {groups} groups need {BackwardScratchLength(g, filters, batch)}.", nameof(scratch));
        if (batch == 0)
        {
            dWeight[..weights].Clear();
            dBias[..filters].Clear();
            return;
        }
        fixed (float* px = x, pw = weight, pdw = dWeight, pdb = dBias, pdx = dx, ps = scratch, pg = pooledGradient, pp = pooled)
        fixed (int* pa = argmax)
            ConvolutionJob.ForCurrentThread.BackwardPooled(compute, g, filters, batch, px, pw, pdw, pdb, dx.IsEmpty ? null : pdx, ps, pool, pg, pa, pooled.IsEmpty ? null : pp);
        AddGroups(g, filters, groups, dWeight[..weights], dBias[..filters], scratch);
    }

    private static void CheckPooling(in ConvGeometry g, int filters, int batch, in ConvGeometry pool, int pooledLength, int argmaxLength)
    {
        ConvGeometry.ThrowIfDefault(pool, nameof(pool));
        if (pool.Channels != filters || pool.Height != g.OutputHeight || pool.Width != g.OutputWidth || pool.Padding != 0)
            throw new ArgumentException($"The pooling window is over [{pool.Channels}, {pool.Height}, {pool.Width}] with padding {pool.Padding}; the outputs are [{filters}, {g.OutputHeight}, {g.OutputWidth}] and pooling takes no padding.", nameof(pool));
        long outputs = (long)batch * filters * pool.OutputPixels;
        if (pooledLength < outputs) throw new ArgumentException($"The pooled outputs have {pooledLength} values; {batch} images need {outputs}.", "pooled");
        if (argmaxLength < outputs) throw new ArgumentException($"argmax has {argmaxLength} entries; {batch} images need {outputs}.", "argmax");
    }

    /// <summary>Adds the groups' partial sums held in the scratch to the gradients, in group order.</summary>
    private static void AddGroups(in ConvGeometry g, int filters, int groups, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> scratch)
    {
        int patch = g.PatchSize, weights = filters * patch, partial = weights + filters;
        if (!TransposedWeightGradient(g, filters))
        {
            // Group 0 summed into dWeight and dBias themselves.
            for (int q = 1; q < groups; q++)
            {
                var part = scratch.Slice((q - 1) * partial, partial);
                TensorPrimitives.Add(dWeight, part[..weights], dWeight);
                TensorPrimitives.Add(dBias, part[weights..], dBias);
            }
            return;
        }
        for (int q = 0; q < groups; q++)
        {
            var part = scratch.Slice(q * partial, partial);
            for (int f = 0; f < filters; f++)
                for (int k = 0; k < patch; k++)
                    dWeight[f * patch + k] = q == 0 ? part[k * filters + f] : dWeight[f * patch + k] + part[k * filters + f];
            if (q == 0) part[weights..].CopyTo(dBias);
            else TensorPrimitives.Add(dBias, part[weights..], dBias);
        }
    }

    /// <summary>The number of backward groups for a batch.</summary>
    internal static int Groups(int batch) => Math.Max(1, (batch + BackwardGroupSize - 1) / BackwardGroupSize);

    private static void Check(in ConvGeometry g, int filters, int batch, int xLength, int weightLength, int biasLength, long yLength)
    {
        ConvGeometry.ThrowIfDefault(g, nameof(g));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (xLength < (long)batch * g.ImageSize) throw new ArgumentException($"The images have {xLength} values; {batch} of [{g.Channels}, {g.Height}, {g.Width}] need {(long)batch * g.ImageSize}.", "x");
        if (weightLength < (long)filters * g.PatchSize) throw new ArgumentException($"The filters have {weightLength} values; {filters} x {g.PatchSize} are needed.", "weight");
        if (biasLength < filters) throw new ArgumentException($"The bias has {biasLength} values; {filters} are needed.", "bias");
        if (yLength < (long)batch * filters * g.OutputPixels) throw new ArgumentException($"The outputs have {yLength} values; {batch} of [{filters}, {g.OutputHeight}, {g.OutputWidth}] need {(long)batch * filters * g.OutputPixels}.", "y");
    }
}
