using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The sizes of a square window sliding over an image [channels, height, width]: the window is
/// <see cref="Kernel"/> pixels wide, moves <see cref="Stride"/> pixels at a time, and the image is
/// bordered by <see cref="Padding"/> zeros on each side. Convolution and pooling share it.
/// </summary>
internal readonly record struct ConvGeometry
{
    /// <summary>Creates the geometry; throws <see cref="ArgumentException"/> when the window does not fit the padded image.</summary>
    public ConvGeometry(int channels, int height, int width, int kernel, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if ((long)height + 2L * padding < kernel || (long)width + 2L * padding < kernel)
            throw new ArgumentException($"A {kernel}x{kernel} window does not fit a {height}x{width} image with padding {padding}.");
        Channels = channels;
        Height = height;
        Width = width;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        OutputHeight = (int)(((long)height + 2L * padding - kernel) / stride + 1);
        OutputWidth = (int)(((long)width + 2L * padding - kernel) / stride + 1);
    }

    /// <summary>
    /// The geometry of a window over samples of <paramref name="shape"/>, which must be an image
    /// [C, H, W] at least as large as the window once padded. Errors name <paramref name="owner"/>,
    /// the layer asking, as in "Conv2D(32, 3) needs an image input [C, H, W]; got [784]".
    /// </summary>
    public static ConvGeometry Of(TensorShape shape, int kernel, int stride, int padding, string owner)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Rank != 3)
            throw new ArgumentException($"{owner} needs an image input [C, H, W]; got {shape}.", nameof(shape));
        if ((long)shape[1] + 2L * padding < kernel || (long)shape[2] + 2L * padding < kernel)
            throw new ArgumentException($"{owner} needs an image of at least {kernel}x{kernel} pixels" +
                (padding > 0 ? $" with padding {padding}" : "") + $"; got {shape}.", nameof(shape));
        return new ConvGeometry(shape[0], shape[1], shape[2], kernel, stride, padding);
    }

    /// <summary>Throws when <paramref name="g"/> is <c>default</c>, which describes no window (its sizes are 0).</summary>
    internal static void ThrowIfDefault(in ConvGeometry g, string name)
    {
        if (g.Kernel == 0) throw new ArgumentException("A default ConvGeometry describes no window; make one with its constructor.", name);
    }

    /// <summary>The number of input planes.</summary>
    public int Channels { get; }

    /// <summary>The height of the input, without padding.</summary>
    public int Height { get; }

    /// <summary>The width of the input, without padding.</summary>
    public int Width { get; }

    /// <summary>The side of the square window.</summary>
    public int Kernel { get; }

    /// <summary>How far the window moves between outputs.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on each side of the input.</summary>
    public int Padding { get; }

    /// <summary>(H + 2 padding - kernel) / stride + 1.</summary>
    public int OutputHeight { get; }

    /// <summary>(W + 2 padding - kernel) / stride + 1.</summary>
    public int OutputWidth { get; }

    /// <summary>Window positions per plane: output height times output width.</summary>
    public int OutputPixels => OutputHeight * OutputWidth;

    /// <summary>Values under the window across all channels: channels x kernel x kernel.</summary>
    public int PatchSize => Channels * Kernel * Kernel;

    /// <summary>Values of one input image: channels x height x width.</summary>
    public int ImageSize => Channels * Height * Width;
}
