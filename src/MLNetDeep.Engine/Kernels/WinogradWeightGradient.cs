using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The weight gradient of a convolution computed by <see cref="Winograd"/>: the forward pass is
/// y = Aᵀ [(G w Gᵀ) ⊙ V] A a tile, so dL/dU[ξ][c][f] = Σ over tiles of (A dy Aᵀ)[ξ] V[ξ][c], 16 products
/// [F, tiles] x [tiles, C], and dL/dw = Gᵀ (dL/dU) G: 2.25 times fewer multiply-adds than the im2col product
/// [F, tiles * 4] x [tiles * 4, 9C]. In exact arithmetic it is the direct convolution's gradient; in floats it rounds
/// as the forward's outputs do, a few units in the last place apart.
/// </summary>
internal static class WinogradWeightGradient
{
    /// <summary>The scratch <see cref="Compute"/> needs, in floats, for the window <paramref name="g"/> and <paramref name="filters"/> filters.</summary>
    public static int ScratchLength(in ConvGeometry g, int filters)
    {
        var gradients = GradientGeometry(g, filters);
        int tiles = Winograd.Tiles(g), per = Winograd.ImagesPerProduct(g);
        return checked(Winograd.PaddedLength(g) + Winograd.PaddedLength(gradients) + per * Winograd.Points * tiles * (g.Channels + filters)
            + Winograd.Points * filters * g.Channels);
    }

    /// <summary>The output gradients' planes seen as images: F channels of the outputs' size.</summary>
    private static ConvGeometry GradientGeometry(in ConvGeometry g, int filters) => new(filters, g.OutputHeight, g.OutputWidth, 3, 1, 1);

    /// <summary>
    /// dW [F, C*3*3] (or, <paramref name="transposed"/>, [C*3*3, F]) = the gradient of the filters over
    /// <paramref name="count"/> images [count, C, H, W] whose output gradients are <paramref name="gradients"/>
    /// [count, F, H, W]; overwritten, not added to. <paramref name="serial"/> runs the products on this thread.
    /// </summary>
    public static unsafe void Compute(ComputeContext serial, in ConvGeometry g, int filters, int count, float* images, float* gradients,
        float* dWeight, bool transposed, Span<float> scratch)
    {
        if (scratch.Length < ScratchLength(g, filters)) throw new ArgumentException($"The scratch has {scratch.Length} values; {ScratchLength(g, filters)} are needed.", nameof(scratch));
        var gg = GradientGeometry(g, filters);
        int channels = g.Channels, tiles = Winograd.Tiles(g), per = Winograd.ImagesPerProduct(g), points = Winograd.Points;
        fixed (float* s = scratch)
        {
            float* padded = s, paddedGradient = padded + Winograd.PaddedLength(g);
            float* v = paddedGradient + Winograd.PaddedLength(gg), z = v + per * points * tiles * channels;
            float* du = z + per * points * tiles * filters;
            for (int first = 0; first < count; first += per)
            {
                int images0 = Math.Min(per, count - first), rows = images0 * tiles;
                for (int n = 0; n < images0; n++)
                {
                    Winograd.Pad(g, images + (long)(first + n) * g.ImageSize, padded);
                    Winograd.TransformPatches(g, padded, v + n * tiles * channels, rows * channels);
                    Winograd.Pad(gg, gradients + (long)(first + n) * filters * g.OutputPixels, paddedGradient);
                    TransformGradients(gg, paddedGradient, z + n * tiles * filters, rows * filters);
                }
                // dU[ξ] [F, C] (+)= Zᵀ [F, rows] x V [rows, C], Z stored [rows, F].
                for (int xi = 0; xi < points; xi++)
                {
                    Gemm.Multiply(serial, true, false, filters, channels, rows, 1f, new ReadOnlySpan<float>(z + xi * rows * filters, rows * filters), filters,
                        new ReadOnlySpan<float>(v + xi * rows * channels, rows * channels), channels, first == 0 ? 0f : 1f,
                        new Span<float>(du + xi * filters * channels, filters * channels), channels);
                }
            }
            ToFilters(filters, channels, du, dWeight, transposed);
        }
    }

    /// <summary>
    /// Z[ξ][tile][f] = (A dy Aᵀ)[ξ] of every tile's 2x2 output gradients dy, A = [1 0; 1 1; 1 -1; 0 -1]: the gradient
    /// with respect to the tile's 16 products M, a vector of filters at a time; <paramref name="padded"/> holds the
    /// gradients by pixel with a border (<see cref="Winograd.Pad"/>), zeros beyond an odd side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TransformGradients(in ConvGeometry gg, float* padded, float* z, int plane)
    {
        int filters = gg.Channels, columns = Winograd.TileColumns(gg), tiles = Winograd.Tiles(gg), pw = 2 * columns + 2;
        int rowStep = pw * filters, width = Vector<float>.Count;
        for (int t = 0; t < tiles; t++)
        {
            // The tile's first output (2i, 2j) sits at (2i + 1, 2j + 1) of the bordered grid.
            float* origin = padded + ((2 * (t / columns) + 1) * pw + 2 * (t % columns) + 1) * filters;
            float* to = z + t * filters;
            int f = 0;
            for (; f + width <= filters; f += width)
            {
                float* p = origin + f;
                var d00 = Vector.Load(p);
                var d01 = Vector.Load(p + filters);
                var d10 = Vector.Load(p + rowStep);
                var d11 = Vector.Load(p + rowStep + filters);
                float* q = to + f;
                // A dy: rows (d0, d0 + d1, d0 - d1, -d1) of the two; then each row times Aᵀ the same way.
                StoreRow(q, plane, d00, d01);
                StoreRow(q + 4 * plane, plane, d00 + d10, d01 + d11);
                StoreRow(q + 8 * plane, plane, d00 - d10, d01 - d11);
                StoreRow(q + 12 * plane, plane, -d10, -d11);
            }
            for (; f < filters; f++)
            {
                float* p = origin + f;
                float d00 = p[0], d01 = p[filters], d10 = p[rowStep], d11 = p[rowStep + filters];
                float* q = to + f;
                StoreRow(q, plane, d00, d01);
                StoreRow(q + 4 * plane, plane, d00 + d10, d01 + d11);
                StoreRow(q + 8 * plane, plane, d00 - d10, d01 - d11);
                StoreRow(q + 12 * plane, plane, -d10, -d11);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow(float* q, int plane, Vector<float> x0, Vector<float> x1)
    {
        Vector.Store(x0, q);
        Vector.Store(x0 + x1, q + plane);
        Vector.Store(x0 - x1, q + 2 * plane);
        Vector.Store(-x1, q + 3 * plane);
    }

    /// <summary><see cref="StoreRow(float*, int, Vector{float}, Vector{float})"/> of one filter: the same operations.</summary>
    private static unsafe void StoreRow(float* q, int plane, float x0, float x1)
    {
        q[0] = x0;
        q[plane] = x0 + x1;
        q[2 * plane] = x0 - x1;
        q[3 * plane] = -x1;
    }

    /// <summary>
    /// dw = Gᵀ dU G for every filter and channel, dU[ξ][f][c], G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]: a vector of channels
    /// at a time (dU's rows are 16 x F x C apart, too far for one channel's 16 values to share cache lines).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ToFilters(int filters, int channels, float* du, float* dWeight, bool transposed)
    {
        int plane = filters * channels, patch = 9 * channels, width = Vector<float>.Count;
        var half = new Vector<float>(0.5f);
        Vector<float>* x = stackalloc Vector<float>[12];
        float* taps = stackalloc float[9 * width], y = stackalloc float[12];
        for (int f = 0; f < filters; f++)
        {
            int c = 0;
            for (; c + width <= channels; c += width)
            {
                float* d = du + f * channels + c;
                // Gᵀ d: 3 rows of 4.
                for (int q = 0; q < 4; q++)
                {
                    var d0 = Vector.Load(d + q * plane);
                    var d1 = Vector.Load(d + (4 + q) * plane);
                    var d2 = Vector.Load(d + (8 + q) * plane);
                    var d3 = Vector.Load(d + (12 + q) * plane);
                    var sum = half * (d1 + d2);
                    x[q] = d0 + sum;
                    x[4 + q] = half * (d1 - d2);
                    x[8 + q] = sum + d3;
                }
                // (Gᵀ d) G: 3 x 3, a tap's vector of channels at a time, then each channel's nine taps in place.
                for (int k = 0; k < 3; k++)
                {
                    var sum = half * (x[4 * k + 1] + x[4 * k + 2]);
                    Vector.Store(x[4 * k] + sum, taps + (3 * k) * width);
                    Vector.Store(half * (x[4 * k + 1] - x[4 * k + 2]), taps + (3 * k + 1) * width);
                    Vector.Store(sum + x[4 * k + 3], taps + (3 * k + 2) * width);
                }
                for (int e = 0; e < width; e++)
                    for (int tap = 0; tap < 9; tap++) Store(dWeight, f, (c + e) * 9 + tap, filters, patch, transposed, taps[tap * width + e]);
            }
            for (; c < channels; c++)
            {
                float* d = du + f * channels + c;
                for (int q = 0; q < 4; q++)
                {
                    float d0 = d[q * plane], d1 = d[(4 + q) * plane], d2 = d[(8 + q) * plane], d3 = d[(12 + q) * plane];
                    float sum = 0.5f * (d1 + d2);
                    y[q] = d0 + sum;
                    y[4 + q] = 0.5f * (d1 - d2);
                    y[8 + q] = sum + d3;
                }
                for (int k = 0; k < 3; k++)
                {
                    float sum = 0.5f * (y[4 * k + 1] + y[4 * k + 2]);
                    int tap = c * 9 + 3 * k;
                    Store(dWeight, f, tap, filters, patch, transposed, y[4 * k] + sum);
                    Store(dWeight, f, tap + 1, filters, patch, transposed, 0.5f * (y[4 * k + 1] - y[4 * k + 2]));
                    Store(dWeight, f, tap + 2, filters, patch, transposed, sum + y[4 * k + 3]);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* dWeight, int f, int tap, int filters, int patch, bool transposed, float value)
    {
        if (transposed) dWeight[(long)tap * filters + f] = value;
        else dWeight[(long)f * patch + tap] = value;
    }
}
