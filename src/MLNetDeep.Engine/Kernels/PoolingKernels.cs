namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Max and average pooling over each plane of a batch of images [C, H, W], without padding: the
/// window of <see cref="ConvGeometry"/> slides over every channel separately. Positions are
/// visited in order (planes, then output rows, then columns), so results are deterministic.
/// </summary>
public static class PoolingKernels
{
    /// <summary>
    /// y = the maximum of each window of <paramref name="images"/> images; <paramref name="argmax"/>
    /// receives the index in <paramref name="x"/> of the value chosen. On ties the first maximum in
    /// row-major window order wins.
    /// </summary>
    public static void MaxPool(in ConvGeometry g, int images, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        int planes = CheckSizes(g, images, x.Length, y.Length);
        if (argmax.Length < y.Length) throw new ArgumentException($"argmax has {argmax.Length} entries; the output has {y.Length}.", nameof(argmax));
        int k = g.Kernel, s = g.Stride, w = g.Width, oh = g.OutputHeight, ow = g.OutputWidth, planeSize = g.Height * w;
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            int origin = plane * planeSize;
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++, o++)
                {
                    int corner = origin + oy * s * w + ox * s;
                    int best = corner;
                    float max = x[corner];
                    for (int ky = 0; ky < k; ky++)
                    {
                        int rowStart = corner + ky * w;
                        for (int kx = 0; kx < k; kx++)
                        {
                            float v = x[rowStart + kx];
                            if (v > max) { max = v; best = rowStart + kx; }
                        }
                    }
                    y[o] = max;
                    argmax[o] = best;
                }
            }
        }
    }

    /// <summary>dx = dy routed to the positions recorded by <see cref="MaxPool"/> (summed where windows overlap), 0 elsewhere.</summary>
    public static void MaxPoolBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        if (argmax.Length < dy.Length) throw new ArgumentException($"argmax has {argmax.Length} entries; the gradient has {dy.Length}.", nameof(argmax));
        dx.Clear();
        for (int o = 0; o < dy.Length; o++) dx[argmax[o]] += dy[o];
    }

    /// <summary>y = the mean of each window of <paramref name="images"/> images.</summary>
    public static void AveragePool(in ConvGeometry g, int images, ReadOnlySpan<float> x, Span<float> y)
    {
        int planes = CheckSizes(g, images, x.Length, y.Length);
        int k = g.Kernel, s = g.Stride, w = g.Width, oh = g.OutputHeight, ow = g.OutputWidth, planeSize = g.Height * w;
        float scale = 1f / (k * k);
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            int origin = plane * planeSize;
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++, o++)
                {
                    int corner = origin + oy * s * w + ox * s;
                    float sum = 0;
                    for (int ky = 0; ky < k; ky++)
                    {
                        var row = x.Slice(corner + ky * w, k);
                        for (int kx = 0; kx < k; kx++) sum += row[kx];
                    }
                    y[o] = sum * scale;
                }
            }
        }
    }

    /// <summary>dx = each window's dy spread evenly over the window (summed where windows overlap).</summary>
    public static void AveragePoolBackward(in ConvGeometry g, int images, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int planes = CheckSizes(g, images, dx.Length, dy.Length);
        int k = g.Kernel, s = g.Stride, w = g.Width, oh = g.OutputHeight, ow = g.OutputWidth, planeSize = g.Height * w;
        float scale = 1f / (k * k);
        dx[..(planes * planeSize)].Clear();
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            int origin = plane * planeSize;
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++, o++)
                {
                    int corner = origin + oy * s * w + ox * s;
                    float share = dy[o] * scale;
                    for (int ky = 0; ky < k; ky++)
                    {
                        var row = dx.Slice(corner + ky * w, k);
                        for (int kx = 0; kx < k; kx++) row[kx] += share;
                    }
                }
            }
        }
    }

    /// <summary>Checks the buffers against the geometry and returns the number of planes.</summary>
    private static int CheckSizes(in ConvGeometry g, int images, int inputLength, int outputLength)
    {
        if (g.Padding != 0) throw new ArgumentException("Pooling takes no padding.", nameof(g));
        ArgumentOutOfRangeException.ThrowIfNegative(images);
        int planes = images * g.Channels;
        if (inputLength < planes * g.Height * g.Width)
            throw new ArgumentException($"The input has {inputLength} values; {images} images [{g.Channels}, {g.Height}, {g.Width}] need {planes * g.Height * g.Width}.");
        if (outputLength < planes * g.OutputPixels)
            throw new ArgumentException($"The output has {outputLength} values; {images} pooled images need {planes * g.OutputPixels}.");
        return planes;
    }
}
