using System.Numerics.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// im2col and col2im: the rearrangements that turn a convolution into one matrix product.
/// <see cref="Unfold"/> writes, for every window position (oy, ox), the pixels under the window as
/// one column of a [C*k*k, H'*W'] matrix whose rows run over (c, ky, kx), the order of a weight
/// row [filters, C*k*k]; outside the image the window reads zeros (the padding).
/// <see cref="Fold"/> is its adjoint: it adds every column entry back onto the pixel it came from.
/// </summary>
/// <remarks>
/// The matrix is addressed with a row stride, so it can also be a block of a wider matrix. With
/// stride 1 and an output as wide as the input ("same" padding) a row is the image shifted and is
/// copied in one piece; otherwise each output row is copied as a run (stride 1) or element by element.
/// </remarks>
internal static class Im2Col
{
    /// <summary>
    /// Writes the [C*k*k, H'*W'] column matrix of one image [C, H, W] to <paramref name="columns"/>,
    /// whose rows are <paramref name="ldColumns"/> values apart (at least H'*W').
    /// </summary>
    public static void Unfold(in ConvGeometry g, ReadOnlySpan<float> image, Span<float> columns, int ldColumns)
    {
        CheckSizes(g, image.Length, columns.Length, ldColumns);
        int s = g.Stride, ow = g.OutputWidth;
        bool shifted = IsShiftedImage(g);
        for (int row = 0; row < g.PatchSize; row++)
        {
            var tap = Tap.Of(g, row);
            var dst = columns.Slice(row * ldColumns, g.OutputPixels);
            var (start, end) = tap.Span(ow);
            dst[..start].Clear();
            dst[end..].Clear();
            if (start == end) continue;
            if (shifted)
            {
                // The row is the image shifted by the tap's offset: one copy, then the positions
                // whose tap falls in the left or right padding (they read a neighbouring row) are zeroed.
                image.Slice(tap.Pixel(tap.FirstRow), end - start).CopyTo(dst[start..end]);
                ZeroPaddingColumns(dst, tap, ow);
                continue;
            }
            for (int oy = tap.FirstRow; oy < tap.EndRow; oy++)
            {
                var outRow = dst.Slice(oy * ow, ow);
                for (int ox = 0; ox < tap.FirstColumn; ox++) outRow[ox] = 0;
                for (int ox = tap.EndColumn; ox < ow; ox++) outRow[ox] = 0;
                var src = image[tap.Pixel(oy)..];
                if (s == 1) src[..tap.Run].CopyTo(outRow[tap.FirstColumn..tap.EndColumn]);
                else for (int i = 0; i < tap.Run; i++) outRow[tap.FirstColumn + i] = src[i * s];
            }
        }
    }

    /// <summary>
    /// Overwrites <paramref name="image"/> [C, H, W] with the sum, pixel by pixel, of the column-matrix
    /// entries that <see cref="Unfold"/> would have copied from it (the gradient of the image, given
    /// the gradient of its columns). Entries that fall in the padding are dropped; the column matrix
    /// is scratch: those entries may be overwritten with zeros.
    /// </summary>
    public static void Fold(in ConvGeometry g, Span<float> columns, int ldColumns, Span<float> image)
    {
        CheckSizes(g, image.Length, columns.Length, ldColumns);
        int s = g.Stride, ow = g.OutputWidth;
        bool shifted = IsShiftedImage(g);
        image[..g.ImageSize].Clear();
        for (int row = 0; row < g.PatchSize; row++)
        {
            var tap = Tap.Of(g, row);
            var src = columns.Slice(row * ldColumns, g.OutputPixels);
            var (start, end) = tap.Span(ow);
            if (start == end) continue;
            if (shifted)
            {
                // Zeroing the entries from the padding first lets one addition cover the whole
                // shifted range: they land on neighbouring pixels as + 0.
                ZeroPaddingColumns(src, tap, ow);
                var to = image.Slice(tap.Pixel(tap.FirstRow), end - start);
                TensorPrimitives.Add(to, src[start..end], to);
                continue;
            }
            for (int oy = tap.FirstRow; oy < tap.EndRow; oy++)
            {
                var from = src.Slice(oy * ow + tap.FirstColumn, tap.Run);
                var to = image[tap.Pixel(oy)..];
                if (s == 1) TensorPrimitives.Add(to[..tap.Run], from, to[..tap.Run]);
                else for (int i = 0; i < tap.Run; i++) to[i * s] += from[i];
            }
        }
    }

    /// <summary>
    /// True when window positions and pixels are in one-to-one order (stride 1, output as wide as
    /// the input: "same" padding), so each row of the column matrix is the image shifted.
    /// </summary>
    private static bool IsShiftedImage(in ConvGeometry g) => g.Stride == 1 && g.OutputWidth == g.Width;

    /// <summary>Zeroes, in each window row of <paramref name="row"/>, the positions whose tap falls left or right of the image.</summary>
    private static void ZeroPaddingColumns(Span<float> row, in Tap tap, int ow)
    {
        if (tap.FirstColumn == 0 && tap.EndColumn == ow) return;
        for (int oy = tap.FirstRow; oy < tap.EndRow; oy++)
        {
            var line = row.Slice(oy * ow, ow);
            for (int ox = 0; ox < tap.FirstColumn; ox++) line[ox] = 0;
            for (int ox = tap.EndColumn; ox < ow; ox++) line[ox] = 0;
        }
    }

    /// <summary>
    /// One row of the column matrix, the tap (c, ky, kx) of the window: the window positions
    /// [FirstRow, EndRow) x [FirstColumn, EndColumn) at which it reads inside the image rather than
    /// the padding, and where it reads.
    /// </summary>
    private readonly record struct Tap(int Origin, int RowStep, int FirstRow, int EndRow, int FirstColumn, int EndColumn)
    {
        public static Tap Of(in ConvGeometry g, int row)
        {
            int k = g.Kernel, s = g.Stride, p = g.Padding, w = g.Width;
            int kx = row % k, ky = row / k % k, c = row / (k * k);
            var (oy0, oy1) = ValidRange(ky, g.Height, g.OutputHeight, s, p);
            var (ox0, ox1) = ValidRange(kx, w, g.OutputWidth, s, p);
            // The image index read at window position (0, ox0), extended to rows outside the image.
            int origin = c * g.Height * w + (ky - p) * w + ox0 * s - p + kx;
            return new Tap(origin, s * w, oy0, oy1, ox0, ox1);
        }

        /// <summary>The number of window positions in a row at which the tap reads inside the image.</summary>
        public int Run => EndColumn - FirstColumn;

        /// <summary>
        /// The positions, in the row of H'*W', from the first at which the tap reads inside the image
        /// to just after the last; empty when it never does.
        /// </summary>
        public (int Start, int End) Span(int outputWidth) => Run == 0 || FirstRow == EndRow
            ? (0, 0)
            : (FirstRow * outputWidth + FirstColumn, (EndRow - 1) * outputWidth + EndColumn);

        /// <summary>The image index the tap reads at window position (<paramref name="oy"/>, FirstColumn).</summary>
        public int Pixel(int oy) => Origin + oy * RowStep;
    }

    /// <summary>
    /// The output positions [first, end) at which a window tap at <paramref name="offset"/> reads
    /// inside an input of <paramref name="size"/> pixels: 0 &lt;= out*stride - padding + offset &lt; size.
    /// </summary>
    private static (int First, int End) ValidRange(int offset, int size, int outSize, int stride, int padding)
    {
        int before = padding - offset;                  // out*stride >= before
        int first = before <= 0 ? 0 : (before + stride - 1) / stride;
        int last = size - 1 + padding - offset;          // out*stride <= last
        int end = last < 0 ? 0 : Math.Min(outSize, last / stride + 1);
        return (Math.Min(first, end), end);
    }

    private static void CheckSizes(in ConvGeometry g, int imageLength, int columnsLength, int ldColumns)
    {
        ConvGeometry.ThrowIfDefault(g, nameof(g));
        if (imageLength < g.ImageSize)
            throw new ArgumentException($"The image has {imageLength} values; [{g.Channels}, {g.Height}, {g.Width}] needs {g.ImageSize}.", "image");
        if (ldColumns < g.OutputPixels)
            throw new ArgumentOutOfRangeException(nameof(ldColumns), ldColumns, $"The row stride must be at least the {g.OutputPixels} window positions.");
        long needed = (long)(g.PatchSize - 1) * ldColumns + g.OutputPixels;
        if (columnsLength < needed)
            throw new ArgumentException($"The column matrix has {columnsLength} values; {g.PatchSize} rows {ldColumns} apart need {needed}.", "columns");
    }
}
