using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Winograd's minimal filtering F(2x2, 3x3) for a 3x3 convolution of stride 1 and padding 1: each 2x2 block of
/// outputs ("tile") is Aᵀ [(G w Gᵀ) ⊙ (Bᵀ d B)] A of the 4x4 input patch d under it (Lavin and Gray, "Fast
/// Algorithms for Convolutional Neural Networks", 2016). Summed over the channels, the 16 element-wise products
/// of a tile become 16 matrix products [tiles, C] x [C, F], 2.25 times fewer multiply-adds than the direct
/// convolution's [F, 9C] x [9C, tiles * 4].
/// </summary>
/// <remarks>
/// The transforms' constants are 0, ±1 and ½, so the outputs round a little differently from the direct sum (a
/// few units in the last place) but not more: this is the best-conditioned of Winograd's forms. For a given
/// image, filters and path the bits do not depend on the thread count: an image is transformed and multiplied by
/// one thread. Layouts: the transformed filters U[ξ][c][f], an image's transformed patches V[ξ][tile][c], their
/// products M[ξ][tile][f], ξ = 4 row + column of the 4x4 transform.
/// </remarks>
internal static class Winograd
{
    /// <summary>The points of the transform: a 4x4 patch.</summary>
    public const int Points = 16;

    /// <summary>
    /// Fewest input channels and filters for which the transforms pay: with fewer, the products are too short
    /// (a first layer on one channel gains nothing, as its direct convolution has 9 taps a filter).
    /// </summary>
    public const int MinChannels = 8;

    /// <summary>True when <paramref name="g"/> with <paramref name="filters"/> filters is computed this way: 3x3, stride 1, padding 1, enough channels and filters.</summary>
    public static bool Applies(in ConvGeometry g, int filters) =>
        g.Kernel == 3 && g.Stride == 1 && g.Padding == 1 && g.Channels >= MinChannels && filters >= MinChannels;

    /// <summary>The number of 2x2 output tiles of one image (an odd side's last tile is half outside and cut).</summary>
    public static int Tiles(in ConvGeometry g) => TileRows(g) * TileColumns(g);

    private static int TileRows(in ConvGeometry g) => (g.OutputHeight + 1) / 2;

    internal static int TileColumns(in ConvGeometry g) => (g.OutputWidth + 1) / 2;

    /// <summary>The length of the transformed filters, U.</summary>
    public static int FilterLength(in ConvGeometry g, int filters) => Points * g.Channels * filters;

    /// <summary>
    /// U[ξ][c][f] = (G w Gᵀ)[ξ] for every filter f and channel c of <paramref name="weight"/> [F, C*3*3], G = [1 0 0;
    /// ½ ½ ½; ½ -½ ½; 0 0 1]. With <paramref name="adjoint"/>, the filters of the convolution's adjoint (the
    /// gradient of its input from that of its outputs): <paramref name="weight"/> is then [C, F*3*3], the forward
    /// filters, and filter f, channel c is forward filter c on channel f turned by 180 degrees.
    /// </summary>
    public static void TransformFilters(in ConvGeometry g, int filters, ReadOnlySpan<float> weight, Span<float> u, bool adjoint = false)
    {
        int channels = g.Channels;
        Span<float> t = stackalloc float[12], w = stackalloc float[9];
        for (int f = 0; f < filters; f++)
        {
            for (int c = 0; c < channels; c++)
            {
                if (!adjoint) weight.Slice((f * channels + c) * 9, 9).CopyTo(w);
                else
                {
                    var turned = weight.Slice((c * filters + f) * 9, 9);
                    for (int i = 0; i < 9; i++) w[i] = turned[8 - i];
                }
                // G w: 4 rows of 3.
                for (int j = 0; j < 3; j++)
                {
                    float w0 = w[j], w1 = w[3 + j], w2 = w[6 + j];
                    t[j] = w0;
                    t[3 + j] = (w0 + w1 + w2) * 0.5f;
                    t[6 + j] = (w0 - w1 + w2) * 0.5f;
                    t[9 + j] = w2;
                }
                // (G w) Gᵀ: 4 x 4.
                for (int i = 0; i < 4; i++)
                {
                    float t0 = t[3 * i], t1 = t[3 * i + 1], t2 = t[3 * i + 2];
                    int at = (4 * i * channels + c) * filters + f, step = channels * filters;
                    u[at] = t0;
                    u[at + step] = (t0 + t1 + t2) * 0.5f;
                    u[at + 2 * step] = (t0 - t1 + t2) * 0.5f;
                    u[at + 3 * step] = t2;
                }
            }
        }
    }

    /// <summary>The most images <see cref="ForwardGroup"/> takes at once.</summary>
    public const int GroupSize = 4;

    /// <summary>Rows (tiles) that let a product run near the micro-kernel's rate: 32 tiles of 6 rows.</summary>
    private const int ProductRows = 192;

    /// <summary>A thread's copy of the image <see cref="Pad"/> reads, grown to the largest it has padded.</summary>
    [ThreadStatic]
    private static float[]? t_staged;

    /// <summary>
    /// The images whose tiles are the rows of one product: enough for <see cref="ProductRows"/> (four of 14 x 14, one of
    /// 28 x 28 or more, so the scratch of a large image is that of one), at most <see cref="GroupSize"/>. It depends on
    /// the geometry alone, so the bits do not depend on how images are shared among threads.
    /// </summary>
    internal static int ImagesPerProduct(in ConvGeometry g) => Math.Clamp((ProductRows + Tiles(g) - 1) / Tiles(g), 1, GroupSize);

    /// <summary>The scratch <see cref="ForwardGroup"/> needs, in floats: a padded image, V and M of one product's images, one image's outputs by pixel.</summary>
    public static int ScratchLength(in ConvGeometry g, int filters) =>
        checked(PaddedLength(g) + ImagesPerProduct(g) * Points * Tiles(g) * (g.Channels + filters) + 4 * Tiles(g) * filters);

    internal static int PaddedLength(in ConvGeometry g) => (2 * TileRows(g) + 2) * (2 * TileColumns(g) + 2) * g.Channels;

    /// <summary>
    /// y [count, F, H, W] = the convolution of <paramref name="count"/> (at most <see cref="GroupSize"/>) images
    /// [count, C, H, W] by the filters whose transform is <paramref name="u"/> (<see cref="TransformFilters"/>),
    /// plus the bias (none when null); <paramref name="serial"/> runs the products on this thread.
    /// </summary>
    public static unsafe void ForwardGroup(ComputeContext serial, in ConvGeometry g, int filters, int count, float* images, ReadOnlySpan<float> u,
        float* bias, float* y, Span<float> scratch)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, GroupSize);
        if (scratch.Length < ScratchLength(g, filters)) throw new ArgumentException($"The scratch has {scratch.Length} values; {ScratchLength(g, filters)} are needed.", nameof(scratch));
        int per = ImagesPerProduct(g);
        for (int first = 0; first < count; first += per)
        {
            Product(serial, g, filters, Math.Min(per, count - first), images + (long)first * g.ImageSize, u, bias,
                y + (long)first * filters * g.OutputPixels, scratch);
        }
    }

    /// <summary><see cref="ForwardGroup"/> of the images of one product.</summary>
    private static unsafe void Product(ComputeContext serial, in ConvGeometry g, int filters, int count, float* images, ReadOnlySpan<float> u,
        float* bias, float* y, Span<float> scratch)
    {
        int channels = g.Channels, tiles = Tiles(g), rows = count * tiles;
        fixed (float* s = scratch)
        {
            float* padded = s, v = padded + PaddedLength(g), m = v + Points * rows * channels, byPixel = m + Points * rows * filters;
            for (int n = 0; n < count; n++)
            {
                Pad(g, images + (long)n * g.ImageSize, padded);
                TransformPatches(g, padded, v + n * tiles * channels, rows * channels);
            }
            for (int xi = 0; xi < Points; xi++)
            {
                Gemm.Multiply(serial, false, false, rows, filters, channels, 1f, new ReadOnlySpan<float>(v + xi * rows * channels, rows * channels), channels,
                    u.Slice(xi * channels * filters, channels * filters), filters, 0f, new Span<float>(m + xi * rows * filters, rows * filters), filters);
            }
            for (int n = 0; n < count; n++)
            {
                TransformProducts(g, filters, m + n * tiles * filters, rows * filters, bias, byPixel);
                ToPlanes(g, filters, byPixel, y + (long)n * filters * g.OutputPixels);
            }
        }
    }

    /// <summary>The image [C, H, W] as [H + 2, W + 2, C] (rounded up to whole tiles), zeros around: each pixel's channels side by side.</summary>
    /// <remarks>
    /// The image is first copied as it lies, then transposed from the copy. Read in place, the transpose takes a row of
    /// every plane at once, as many streams through memory as channels, too many for the hardware to fetch ahead, and a
    /// batch's image is seldom in cache: on a batch's worth of images a group of four took 12-32 % less time with the copy
    /// (docs/BENCHMARKS.md). The copy changes no value.
    /// </remarks>
    internal static unsafe void Pad(in ConvGeometry g, float* image, float* padded)
    {
        int channels = g.Channels, h = g.Height, w = g.Width, pw = 2 * TileColumns(g) + 2, plane = h * w;
        new Span<float>(padded, PaddedLength(g)).Clear();
        if (t_staged is null || t_staged.Length < g.ImageSize) t_staged = new float[g.ImageSize];
        fixed (float* staged = t_staged)
        {
            long bytes = (long)g.ImageSize * sizeof(float);
            Buffer.MemoryCopy(image, staged, bytes, bytes);
            for (int row = 0; row < h; row++)
                Transpose.Matrix(staged + row * w, plane, channels, w, padded + ((row + 1) * pw + 1) * channels, channels);
        }
    }

    /// <summary>
    /// V[ξ][tile][c] = (Bᵀ d B)[ξ] of every tile's 4x4 patch d, Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], a vector
    /// of channels at a time; <paramref name="plane"/> floats from one ξ to the next.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void TransformPatches(in ConvGeometry g, float* padded, float* v, int plane)
    {
        int channels = g.Channels, columns = TileColumns(g), tiles = Tiles(g), pw = 2 * columns + 2;
        int rowStep = pw * channels, width = Vector<float>.Count;
        float* e = stackalloc float[Points];
        for (int t = 0; t < tiles; t++)
        {
            float* origin = padded + (2 * (t / columns) * pw + 2 * (t % columns)) * channels;
            float* to = v + t * channels;
            int c = 0;
            for (; c + width <= channels; c += width)
            {
                float* p = origin + c;
                // Bᵀ d, column by column, then its rows times B.
                var (a0, a1, a2, a3) = Rows(p, rowStep);
                var (b0, b1, b2, b3) = Rows(p + channels, rowStep);
                var (c0, c1, c2, c3) = Rows(p + 2 * channels, rowStep);
                var (d0, d1, d2, d3) = Rows(p + 3 * channels, rowStep);
                float* q = to + c;
                StoreRow(q, plane, a0, b0, c0, d0);
                StoreRow(q + 4 * plane, plane, a1, b1, c1, d1);
                StoreRow(q + 8 * plane, plane, a2, b2, c2, d2);
                StoreRow(q + 12 * plane, plane, a3, b3, c3, d3);
            }
            for (; c < channels; c++)
            {
                for (int r = 0; r < 4; r++)
                    for (int k = 0; k < 4; k++)
                        e[4 * r + k] = origin[r * rowStep + k * channels + c];
                TransformScalar(new Span<float>(e, Points));
                for (int xi = 0; xi < Points; xi++) to[xi * plane + c] = e[xi];
            }
        }
    }

    /// <summary>Bᵀ d of one column of a patch: its four pixels <paramref name="rowStep"/> apart, combined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector<float>, Vector<float>, Vector<float>, Vector<float>) Rows(float* p, int rowStep)
    {
        var d0 = Vector.Load(p);
        var d1 = Vector.Load(p + rowStep);
        var d2 = Vector.Load(p + 2 * rowStep);
        var d3 = Vector.Load(p + 3 * rowStep);
        return (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
    }

    /// <summary>One row of Bᵀ d (its four columns) times B, stored at ξ = 4 row + 0..3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(float* q, int plane, Vector<float> x0, Vector<float> x1, Vector<float> x2, Vector<float> x3)
    {
        Vector.Store(x0 - x2, q);
        Vector.Store(x1 + x2, q + plane);
        Vector.Store(x2 - x1, q + 2 * plane);
        Vector.Store(x1 - x3, q + 3 * plane);
    }

    /// <summary>Bᵀ d B of one channel's patch in place: the same operations in the same order as the vector form.</summary>
    private static void TransformScalar(Span<float> d)
    {
        for (int s = 0; s < 4; s++)
        {
            var (d0, d1, d2, d3) = (d[s], d[4 + s], d[8 + s], d[12 + s]);
            (d[s], d[4 + s], d[8 + s], d[12 + s]) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
        }
        for (int r = 0; r < 16; r += 4)
        {
            var (d0, d1, d2, d3) = (d[r], d[r + 1], d[r + 2], d[r + 3]);
            (d[r], d[r + 1], d[r + 2], d[r + 3]) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
        }
    }

    /// <summary>
    /// out[pixel][f] = (Aᵀ M A)[a][b] + bias[f] for every tile (i, j), pixel (2i + a, 2j + b) on a grid of whole
    /// tiles, and filter f, Aᵀ = [1 1 1 0; 0 1 -1 -1], a vector of filters at a time; <paramref name="plane"/> floats
    /// from one ξ of M to the next.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TransformProducts(in ConvGeometry g, int filters, float* m, int plane, float* bias, float* output)
    {
        int columns = TileColumns(g), tiles = Tiles(g), gridWidth = 2 * columns, width = Vector<float>.Count;
        float* z = stackalloc float[Points];
        for (int t = 0; t < tiles; t++)
        {
            float* at = m + t * filters;
            float* o = output + (2 * (t / columns) * gridWidth + 2 * (t % columns)) * filters;
            int f = 0;
            for (; f + width <= filters; f += width)
            {
                var b = bias == null ? Vector<float>.Zero : Vector.Load(bias + f);
                float* p = at + f;
                var (y00, y01, y10, y11) = Inverse(p, plane);
                Vector.Store(y00 + b, o + f);
                Vector.Store(y01 + b, o + filters + f);
                Vector.Store(y10 + b, o + gridWidth * filters + f);
                Vector.Store(y11 + b, o + (gridWidth + 1) * filters + f);
            }
            for (; f < filters; f++)
            {
                for (int xi = 0; xi < Points; xi++) z[xi] = at[xi * plane + f];
                var (y00, y01, y10, y11) = InverseScalar(new ReadOnlySpan<float>(z, Points));
                float b = bias == null ? 0f : bias[f];
                o[f] = y00 + b;
                o[filters + f] = y01 + b;
                o[gridWidth * filters + f] = y10 + b;
                o[(gridWidth + 1) * filters + f] = y11 + b;
            }
        }
    }

    /// <summary>y [F, H, W] from the outputs by pixel [2 tile rows, 2 tile columns, F], dropping the grid's pixels beyond an odd side.</summary>
    private static unsafe void ToPlanes(in ConvGeometry g, int filters, float* byPixel, float* y)
    {
        int h = g.OutputHeight, w = g.OutputWidth, gridWidth = 2 * TileColumns(g), pixels = h * w;
        // An even width makes the grid's first h rows the outputs' pixels in order: one transpose.
        if (gridWidth == w) Transpose.Matrix(byPixel, filters, pixels, filters, y, pixels);
        else
        {
            for (int row = 0; row < h; row++) Transpose.Matrix(byPixel + row * gridWidth * filters, filters, w, filters, y + row * w, pixels);
        }
    }

    /// <summary>Aᵀ M A of the 16 products of one tile at <paramref name="p"/>, <paramref name="plane"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector<float>, Vector<float>, Vector<float>, Vector<float>) Inverse(float* p, int plane)
    {
        var (z0, q0) = Column(p, plane);
        var (z1, q1) = Column(p + plane, plane);
        var (z2, q2) = Column(p + 2 * plane, plane);
        var (z3, q3) = Column(p + 3 * plane, plane);
        return (z0 + z1 + z2, z1 - z2 - z3, q0 + q1 + q2, q1 - q2 - q3);
    }

    /// <summary>Aᵀ times one column of M: its four products 4 ξ apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector<float>, Vector<float>) Column(float* p, int plane)
    {
        var m0 = Vector.Load(p);
        var m1 = Vector.Load(p + 4 * plane);
        var m2 = Vector.Load(p + 8 * plane);
        var m3 = Vector.Load(p + 12 * plane);
        return (m0 + m1 + m2, m1 - m2 - m3);
    }

    /// <summary><see cref="Inverse"/> of one filter: the same operations in the same order.</summary>
    private static (float, float, float, float) InverseScalar(ReadOnlySpan<float> m)
    {
        float z0 = m[0] + m[4] + m[8], z1 = m[1] + m[5] + m[9], z2 = m[2] + m[6] + m[10], z3 = m[3] + m[7] + m[11];
        float q0 = m[4] - m[8] - m[12], q1 = m[5] - m[9] - m[13], q2 = m[6] - m[10] - m[14], q3 = m[7] - m[11] - m[15];
        return (z0 + z1 + z2, z1 - z2 - z3, q0 + q1 + q2, q1 - q2 - q3);
    }
}
