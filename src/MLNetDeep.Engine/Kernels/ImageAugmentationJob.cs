namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The pixel work of image augmentation, an image a part for <see cref="WorkerPool"/>: each output image is written
/// from its input image and its <see cref="ImageTransform"/> alone, so the bits do not depend on the thread count.
/// The transforms are drawn beforehand, on one thread. One job a calling thread (thread-static), reused, so a batch
/// allocates nothing; the operands are raw pointers, valid while <see cref="Run(ComputeContext, ReadOnlySpan{float}, Span{float}, ReadOnlySpan{ImageTransform}, int, int, int, float)"/> keeps them pinned.
/// </summary>
internal sealed unsafe class ImageAugmentationJob : IParallelWork
{
    /// <summary>Below this many values a batch runs on the calling thread: waking a worker would cost more.</summary>
    private const int ParallelThreshold = 1 << 15;

    [ThreadStatic]
    private static ImageAugmentationJob? t_job;

    private float* _input, _output;
    private ImageTransform* _transforms;
    private int _channels, _height, _width;
    private float _fill;

    /// <summary>The job of the calling thread.</summary>
    public static ImageAugmentationJob ForCurrentThread => t_job ??= new ImageAugmentationJob();

    /// <summary>
    /// Writes into <paramref name="output"/> each image of <paramref name="input"/> ([transforms.Length, C, H, W],
    /// row-major) transformed by its <see cref="ImageTransform"/>, erased pixels set to <paramref name="fill"/>.
    /// </summary>
    public void Run(ComputeContext compute, ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<ImageTransform> transforms,
        int channels, int height, int width, float fill)
    {
        int images = transforms.Length;
        long values = (long)images * channels * height * width;
        if (input.Length < values || output.Length < values)
            throw new ArgumentException($"{images} images of [{channels}, {height}, {width}] need {values} values; input has {input.Length}, output {output.Length}.");
        fixed (float* x = input, y = output)
        fixed (ImageTransform* t = transforms)
        {
            _input = x;
            _output = y;
            _transforms = t;
            (_channels, _height, _width, _fill) = (channels, height, width, fill);
            try
            {
                compute.Pool.RunAll(this, images, parallel: values >= ParallelThreshold);
            }
            finally
            {
                _input = _output = null;
                _transforms = null;
            }
        }
    }

    public void Run(int part)
    {
        int h = _height, w = _width, plane = h * w;
        ImageTransform t = _transforms[part];
        float* source = _input + (long)part * _channels * plane, target = _output + (long)part * _channels * plane;
        for (int c = 0; c < _channels; c++, source += plane, target += plane)
        {
            for (int y = 0; y < h; y++)
            {
                int sy = y - t.ShiftY;
                float* row = target + y * w;
                if (sy < 0 || sy >= h)
                {
                    new Span<float>(row, w).Clear();
                    continue;
                }
                float* from = source + sy * w;
                for (int x = 0; x < w; x++)
                {
                    int sx = x - t.ShiftX;
                    row[x] = sx < 0 || sx >= w ? 0f : from[t.Flip ? w - 1 - sx : sx];
                }
            }
            for (int y = t.EraseY; y < t.EraseY + t.EraseHeight && t.EraseWidth > 0; y++)
                new Span<float>(target + y * w + t.EraseX, t.EraseWidth).Fill(_fill);
        }
    }
}
