namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>
/// Convolution and pooling written the obvious way, as nested loops over (n, f, c, y, x, ky, kx)
/// in double precision: the reference the layers' im2col + GEMM and pooling kernels are tested
/// against. Each result comes with the sum of the absolute values of the terms that made it, the
/// scale that float32 rounding error is proportional to.
/// </summary>
internal static class Direct
{
    /// <summary>An image geometry and a square window over it.</summary>
    public readonly record struct Window(int Channels, int Height, int Width, int Kernel, int Stride, int Padding)
    {
        public int OutHeight => (Height + 2 * Padding - Kernel) / Stride + 1;
        public int OutWidth => (Width + 2 * Padding - Kernel) / Stride + 1;
        public int ImageSize => Channels * Height * Width;

        /// <summary>The input pixel under tap (ky, kx) of window (oy, ox), or -1 in the padding.</summary>
        public int Pixel(int c, int oy, int ox, int ky, int kx)
        {
            int iy = oy * Stride - Padding + ky, ix = ox * Stride - Padding + kx;
            return iy < 0 || iy >= Height || ix < 0 || ix >= Width ? -1 : (c * Height + iy) * Width + ix;
        }
    }

    /// <summary>A value computed in double and the sum of |terms| it was computed from.</summary>
    public readonly record struct Reference(double[] Values, double[] Scale);

    /// <summary>y[n, f, oy, ox] = b[f] + Σ_c,ky,kx w[f, c, ky, kx] x[n, c, oy*s - p + ky, ox*s - p + kx].</summary>
    public static Reference ConvForward(Window g, int filters, int batch, float[] x, float[] weight, float[] bias)
    {
        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel;
        var y = new double[batch * filters * oh * ow];
        var scale = new double[y.Length];
        for (int n = 0; n < batch; n++)
            for (int f = 0; f < filters; f++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int o = ((n * filters + f) * oh + oy) * ow + ox;
                        double sum = bias[f], abs = Math.Abs(bias[f]);
                        for (int c = 0; c < g.Channels; c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int i = g.Pixel(c, oy, ox, ky, kx);
                                    if (i < 0) continue;
                                    double term = (double)weight[f * g.Channels * k * k + (c * k + ky) * k + kx] * x[n * g.ImageSize + i];
                                    sum += term;
                                    abs += Math.Abs(term);
                                }
                        (y[o], scale[o]) = (sum, abs);
                    }
        return new Reference(y, scale);
    }

    /// <summary>dx, dW and db of the convolution for output gradient <paramref name="dy"/>, by the chain rule term by term.</summary>
    public static (Reference Input, Reference Weight, Reference Bias) ConvBackward(Window g, int filters, int batch, float[] x, float[] weight, float[] dy)
    {
        int oh = g.OutHeight, ow = g.OutWidth, k = g.Kernel, patch = g.Channels * k * k;
        var dx = new Reference(new double[batch * g.ImageSize], new double[batch * g.ImageSize]);
        var dw = new Reference(new double[filters * patch], new double[filters * patch]);
        var db = new Reference(new double[filters], new double[filters]);
        for (int n = 0; n < batch; n++)
            for (int f = 0; f < filters; f++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double d = dy[((n * filters + f) * oh + oy) * ow + ox];
                        Add(db, f, d);
                        for (int c = 0; c < g.Channels; c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int i = g.Pixel(c, oy, ox, ky, kx);
                                    if (i < 0) continue;
                                    int wi = f * patch + (c * k + ky) * k + kx;
                                    Add(dx, n * g.ImageSize + i, weight[wi] * d);
                                    Add(dw, wi, x[n * g.ImageSize + i] * d);
                                }
                    }
        return (dx, dw, db);
    }

    /// <summary>Every (output, input) index pair of the pooling windows over a batch: window by window, each in row-major order.</summary>
    public static IEnumerable<(int Output, int Input)> PoolTaps(Window g, int batch)
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < g.Channels; c++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                        for (int ky = 0; ky < g.Kernel; ky++)
                            for (int kx = 0; kx < g.Kernel; kx++)
                                yield return (((n * g.Channels + c) * oh + oy) * ow + ox, n * g.ImageSize + g.Pixel(c, oy, ox, ky, kx));
    }

    /// <summary>Max over each window; the winner's input index (the first maximum in row-major order on ties).</summary>
    public static (double[] Values, int[] Winner) MaxPool(Window g, int batch, float[] x)
    {
        var winner = Enumerable.Repeat(-1, batch * g.Channels * g.OutHeight * g.OutWidth).ToArray();
        foreach (var (o, i) in PoolTaps(g, batch))
            if (winner[o] < 0 || x[i] > x[winner[o]]) winner[o] = i;
        return (winner.Select(i => (double)x[i]).ToArray(), winner);
    }

    /// <summary>dx of max pooling: each window's gradient added to its winner.</summary>
    public static double[] MaxPoolBackward(Window g, int batch, int[] winner, float[] dy)
    {
        var dx = new double[batch * g.ImageSize];
        for (int o = 0; o < dy.Length; o++) dx[winner[o]] += dy[o];
        return dx;
    }

    /// <summary>Mean over each window.</summary>
    public static Reference AveragePool(Window g, int batch, float[] x)
    {
        int outputs = batch * g.Channels * g.OutHeight * g.OutWidth;
        var y = new Reference(new double[outputs], new double[outputs]);
        foreach (var (o, i) in PoolTaps(g, batch)) Add(y, o, x[i] / (double)(g.Kernel * g.Kernel));
        return y;
    }

    /// <summary>dx of average pooling: each window's gradient spread evenly over it.</summary>
    public static Reference AveragePoolBackward(Window g, int batch, float[] dy)
    {
        var dx = new Reference(new double[batch * g.ImageSize], new double[batch * g.ImageSize]);
        foreach (var (o, i) in PoolTaps(g, batch)) Add(dx, i, dy[o] / (double)(g.Kernel * g.Kernel));
        return dx;
    }

    /// <summary>
    /// A training forward pass of <paramref name="layer"/> on random inputs, then a backward pass of
    /// a random output gradient; returns the inputs, the output, the output gradient and the input gradient.
    /// </summary>
    public static (float[] X, Tensor Y, float[] Dy, Tensor Dx) Pass(Engine.Layers.Layer layer, int batch, Engine.Kernels.ComputeContext? compute = null)
    {
        compute ??= Engine.Kernels.ComputeContext.Default;
        var x = Random(batch * layer.InputShape.Size, 5);
        var y = layer.Forward(new Tensor(x, batch, layer.InputShape), training: true, compute);
        var dy = Random(y.Length, 6);
        var dx = layer.Backward(new Tensor(dy, batch, layer.OutputShape), compute);
        return (x, y, dy, dx);
    }

    /// <summary>Asserts that a forward and backward pass of <paramref name="layer"/> allocate nothing once warmed up.</summary>
    public static void AssertTrainingStepAllocatesNothing(Engine.Layers.Layer layer, int batch)
    {
        var x = new Tensor(Random(batch * layer.InputShape.Size, 5), batch, layer.InputShape);
        var dy = new Tensor(Random(batch * layer.OutputShape.Size, 6), batch, layer.OutputShape);
        AllocationCheck.AssertNone(() =>
        {
            layer.Forward(x, training: true);
            layer.Backward(dy);
        });
    }

    /// <summary>
    /// Asserts |actual - expected| &lt;= 1e-6 + 1e-5 * Σ|terms| element by element. Why 1e-5: float32
    /// rounds each operation by at most 6e-8 relative, and the error of a sum of N terms grows like a
    /// random walk, about sqrt(N) * 6e-8 * Σ|terms|; the longest sum here (about 10,000 terms, a weight
    /// gradient over a batch) gives 6e-6. A wrong index or a missing term is off by a whole term.
    /// </summary>
    public static void AssertClose(string what, Reference expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Values.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double allowed = 1e-6 + 1e-5 * expected.Scale[i];
            Assert.True(Math.Abs(actual[i] - expected.Values[i]) <= allowed,
                $"{what}[{i}]: expected {expected.Values[i]:G7}, got {actual[i]:G7} (allowed difference {allowed:G3}).");
        }
    }

    /// <summary>Values computed exactly (a maximum, or a sum of at most a couple of terms): equal to float precision.</summary>
    public static Reference Exact(double[] values) => new(values, values.Select(Math.Abs).ToArray());

    /// <summary>Draws <paramref name="count"/> values uniform in [-1, 1).</summary>
    public static float[] Random(int count, ulong seed)
    {
        var rng = new Tensors.Rng(seed);
        return Enumerable.Range(0, count).Select(_ => rng.NextFloat(-1f, 1f)).ToArray();
    }

    private static void Add(Reference r, int index, double term)
    {
        r.Values[index] += term;
        r.Scale[index] += Math.Abs(term);
    }
}
