using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// Applies an <see cref="ImageAugmentation"/> to training batches: draws each sample's <see cref="ImageTransform"/>
/// from the run's augmentation generator, in sample order on the calling thread, then hands the pixel work to the
/// kernels. Writes into a tensor of its own, so the gathered batch (and the data behind it) stays as it was.
/// </summary>
internal sealed class ImageAugmenter
{
    // torchvision's RandomErasing tries this many rectangles before it leaves an image as it is.
    private const int ErasingAttempts = 10;

    private readonly ImageAugmentation _settings;
    private readonly int _channels, _height, _width;
    private ImageTransform[] _transforms = [];
    private Tensor? _output;

    /// <summary>Checks <paramref name="settings"/> for samples of <paramref name="shape"/> and keeps a copy of them.</summary>
    public ImageAugmenter(ImageAugmentation settings, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate(shape);
        _settings = new ImageAugmentation
        {
            MaxShift = settings.MaxShift, HorizontalFlip = settings.HorizontalFlip, ErasingProbability = settings.ErasingProbability,
            ErasingMinArea = settings.ErasingMinArea, ErasingMaxArea = settings.ErasingMaxArea,
            ErasingMinAspect = settings.ErasingMinAspect, ErasingMaxAspect = settings.ErasingMaxAspect, ErasingValue = settings.ErasingValue,
        };
        (_channels, _height, _width) = (shape[0], shape[1], shape[2]);
    }

    /// <summary>The batch <paramref name="input"/>, each image changed by a fresh draw from <paramref name="rng"/>.</summary>
    public Tensor Apply(Tensor input, Rng rng, ComputeContext compute)
    {
        int batch = input.Batch;
        if (_transforms.Length < batch) _transforms = new ImageTransform[batch];
        for (int i = 0; i < batch; i++) _transforms[i] = Draw(rng);
        var output = Tensor.Ensure(ref _output, batch, input.SampleShape);
        ImageAugmentationJob.ForCurrentThread.Run(compute, input.Span, output.Span, _transforms.AsSpan(0, batch), _channels, _height, _width, _settings.ErasingValue);
        return output;
    }

    /// <summary>One sample's transform; the draws are made in a fixed order (shift, flip, erasing) and only for what is asked.</summary>
    internal ImageTransform Draw(Rng rng)
    {
        int k = _settings.MaxShift;
        int dx = 0, dy = 0;
        if (k > 0)
        {
            dx = rng.NextInt(2 * k + 1) - k;
            dy = rng.NextInt(2 * k + 1) - k;
        }
        bool flip = _settings.HorizontalFlip && rng.NextFloat() < 0.5f;
        int ex = 0, ey = 0, ew = 0, eh = 0;
        if (_settings.ErasingProbability > 0 && rng.NextFloat() < _settings.ErasingProbability)
        {
            double area = (double)_height * _width;
            double logMin = Math.Log(_settings.ErasingMinAspect), logMax = Math.Log(_settings.ErasingMaxAspect);
            for (int attempt = 0; attempt < ErasingAttempts; attempt++)
            {
                double target = area * rng.NextFloat(_settings.ErasingMinArea, _settings.ErasingMaxArea);
                double aspect = Math.Exp(logMin + (logMax - logMin) * rng.NextFloat());
                int h = (int)Math.Round(Math.Sqrt(target * aspect)), w = (int)Math.Round(Math.Sqrt(target / aspect));
                if (h < 1 || w < 1 || h >= _height || w >= _width) continue;
                (ey, ex, eh, ew) = (rng.NextInt(_height - h + 1), rng.NextInt(_width - w + 1), h, w);
                break;
            }
        }
        return new ImageTransform(flip, dx, dy, ex, ey, ew, eh);
    }
}
