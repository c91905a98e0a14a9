using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// Random changes made to every training image as its batch is gathered, a fresh draw each time a sample is seen:
/// a shift of up to <see cref="MaxShift"/> pixels each way (the uncovered border is 0), a horizontal flip
/// (<see cref="HorizontalFlip"/>), and random erasing (Zhong et al. 2017, "Random Erasing Data Augmentation"): with
/// probability <see cref="ErasingProbability"/>, a rectangle of <see cref="ErasingMinArea"/> to
/// <see cref="ErasingMaxArea"/> of the image, of aspect ratio (height over width) between
/// <see cref="ErasingMinAspect"/> and <see cref="ErasingMaxAspect"/> (drawn uniformly on a log scale, as torchvision's
/// <c>RandomErasing</c> does), set to <see cref="ErasingValue"/> in every channel. The flip comes first, then the shift,
/// then the erasing. Inputs are images [C, H, W]; validation and prediction see them unchanged.
/// </summary>
/// <remarks>
/// The defaults shift by up to 2 pixels and do nothing else: a flip changes what a digit or a letter means, so it is
/// asked for; erasing, when asked for, defaults to torchvision's <c>RandomErasing</c> (area 0.02 to 0.33, aspect
/// 0.3 to 3.3, value 0); Zhong et al. use probability 0.5. The draws come from the run's seed, in sample order,
/// so a seed fixes them, whatever the number of threads, and a checkpoint saves where they stand.
/// </remarks>
public sealed class ImageAugmentation
{
    /// <summary>The largest shift, in pixels, along each axis (each drawn uniformly in [-MaxShift, MaxShift]); 0 is none. Default 2.</summary>
    public int MaxShift { get; set; } = 2;

    /// <summary>Mirror each image left to right with probability 1/2. Default false.</summary>
    public bool HorizontalFlip { get; set; }

    /// <summary>The probability that an image gets an erased rectangle, in [0, 1]; 0 is off. Default 0.</summary>
    public float ErasingProbability { get; set; }

    /// <summary>The smallest erased area, as a share of the image, in (0, <see cref="ErasingMaxArea"/>]. Default 0.02.</summary>
    public float ErasingMinArea { get; set; } = 0.02f;

    /// <summary>The largest erased area, as a share of the image, in [<see cref="ErasingMinArea"/>, 1). Default 0.33.</summary>
    public float ErasingMaxArea { get; set; } = 0.33f;

    /// <summary>The smallest aspect ratio (height over width) of the erased rectangle, greater than 0. Default 0.3.</summary>
    public float ErasingMinAspect { get; set; } = 0.3f;

    /// <summary>The largest aspect ratio of the erased rectangle, at least <see cref="ErasingMinAspect"/>. Default 3.3 (about 1 / 0.3).</summary>
    public float ErasingMaxAspect { get; set; } = 3.3f;

    /// <summary>The value erased pixels take, in every channel. Default 0.</summary>
    public float ErasingValue { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxShift < 0) throw new ArgumentOutOfRangeException(nameof(MaxShift), MaxShift, "MaxShift must be 0 (none) or positive.");
        if (!(ErasingProbability >= 0 && ErasingProbability <= 1)) throw new ArgumentOutOfRangeException(nameof(ErasingProbability), ErasingProbability, "ErasingProbability must be in [0, 1].");
        if (!(ErasingMinArea > 0 && ErasingMinArea <= ErasingMaxArea)) throw new ArgumentOutOfRangeException(nameof(ErasingMinArea), ErasingMinArea, $"ErasingMinArea must be above 0 and at most ErasingMaxArea ({ErasingMaxArea}).");
        if (!(ErasingMaxArea < 1)) throw new ArgumentOutOfRangeException(nameof(ErasingMaxArea), ErasingMaxArea, "ErasingMaxArea must be below 1.");
        if (!(ErasingMinAspect > 0 && ErasingMinAspect <= ErasingMaxAspect) || !float.IsFinite(ErasingMaxAspect))
            throw new ArgumentOutOfRangeException(nameof(ErasingMinAspect), ErasingMinAspect, $"ErasingMinAspect must be above 0 and at most ErasingMaxAspect ({ErasingMaxAspect}), which must be finite.");
        if (!float.IsFinite(ErasingValue)) throw new ArgumentOutOfRangeException(nameof(ErasingValue), ErasingValue, "ErasingValue must be finite.");
    }

    /// <summary>Validates the settings for samples of <paramref name="shape"/>, which must be an image [C, H, W].</summary>
    /// <exception cref="ArgumentException">The shape has no image dimensions, or is too small for <see cref="MaxShift"/>.</exception>
    public void Validate(TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Validate();
        if (shape.Rank != 3)
            throw new ArgumentException($"Image augmentation needs samples with image dimensions [C, H, W]; these have shape {shape}.", nameof(shape));
        if (MaxShift >= Math.Min(shape[1], shape[2]))
            throw new ArgumentOutOfRangeException(nameof(MaxShift), MaxShift, $"MaxShift must be below the image's height and width ({shape[1]} by {shape[2]}).");
    }
}
