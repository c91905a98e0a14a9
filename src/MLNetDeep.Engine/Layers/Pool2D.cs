using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// The common part of the pooling layers: a square window of <see cref="Size"/> pixels moved
/// <see cref="Stride"/> pixels at a time over each channel of an image [C, H, W], without padding,
/// giving [C, (H - size) / stride + 1, (W - size) / stride + 1]. Pooling has no parameters.
/// </summary>
public abstract partial class Pool2D : Layer
{
    private ConvGeometry _geometry;

    /// <summary>Creates the layer; <paramref name="stride"/> defaults to <paramref name="size"/> (windows that tile the image).</summary>
    protected Pool2D(int size, int? stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (stride is int s) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(s, nameof(stride));
        Size = size;
        Stride = stride ?? size;
    }

    /// <summary>The side of the square window.</summary>
    public int Size { get; }

    /// <summary>How many pixels the window moves between outputs.</summary>
    public int Stride { get; }

    /// <summary>The window over the input, fixed by <see cref="Layer.Initialize"/>.</summary>
    protected ConvGeometry Geometry => _geometry;

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, Rng rng)
    {
        _geometry = ConvGeometry.Of(inputShape, Size, Stride, 0, ToString());
        return TensorShape.Image(_geometry.Channels, _geometry.OutputHeight, _geometry.OutputWidth);
    }

    internal override void WriteConfig(BinaryWriter writer)
    {
        writer.Write(Size);
        writer.Write(Stride);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}({Size}" + (Stride != Size ? $", stride {Stride}" : "") + ")";
}
