namespace MLNetDeep.Datasets;

/// <summary>Grey-level images read from an IDX file: <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Columns"/> bytes, row-major.</summary>
public sealed class IdxImages
{
    internal IdxImages(int count, int rows, int columns, byte[] pixels)
    {
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>Pixel rows per image.</summary>
    public int Rows { get; }

    /// <summary>Pixel columns per image.</summary>
    public int Columns { get; }

    /// <summary>Pixels per image.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All pixels, image after image, each row-major, 0..255.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>All pixels as floats, multiplied by <paramref name="scale"/> (1/255 maps them to [0, 1]).</summary>
    public float[] ToFloats(float scale = 1f / 255)
    {
        var result = new float[Pixels.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Pixels[i] * scale;
        return result;
    }
}
