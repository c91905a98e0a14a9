using System.Numerics.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Batch and layer normalisation. A batch is laid out [N, C, S]: N samples, C features or channels, S values a
/// channel (1 after a dense layer, H*W for an image). Batch normalisation's statistics run over the N*S values of
/// each channel, layer normalisation's over the C*S values of each sample. Every sum runs in one fixed order, on the
/// calling thread or, for images, a channel a part on the compute context's threads: the bits never depend on the
/// thread count.
/// </summary>
internal static class NormalizationKernels
{
    /// <summary>
    /// Training forward of batch normalisation after a dense layer (one value a feature, [N, F]): per feature the mean
    /// and the biased variance of its N values, x̂ = (x - mean) / √(var + ε) into <paramref name="xhat"/> and y = γ x̂ + β.
    /// Whole rows at a time, each feature's sums over the samples in order, on the calling thread.
    /// </summary>
    public static void BatchForward(ReadOnlySpan<float> x, int n, int c, float epsilon, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<float> mean, Span<float> variance, Span<float> invStd, Span<float> xhat, Span<float> y)
    {
        mean.Clear();
        variance.Clear();
        for (int r = 0; r < n; r++) TensorPrimitives.Add(mean, x.Slice(r * c, c), mean);
        TensorPrimitives.Multiply(mean, 1f / n, mean);
        for (int r = 0; r < n; r++)
        {
            var centred = xhat.Slice(r * c, c);
            TensorPrimitives.Subtract(x.Slice(r * c, c), mean, centred);
            TensorPrimitives.MultiplyAdd(centred, centred, variance, variance);
        }
        TensorPrimitives.Multiply(variance, 1f / n, variance);
        for (int ch = 0; ch < c; ch++) invStd[ch] = 1f / MathF.Sqrt(variance[ch] + epsilon);
        for (int r = 0; r < n; r++)
        {
            var row = xhat.Slice(r * c, c);
            TensorPrimitives.Multiply(row, invStd, row);
            TensorPrimitives.MultiplyAdd(row, gamma, beta, y.Slice(r * c, c));
        }
    }

    /// <summary>
    /// Training forward of batch normalisation of images [N, C, S]: per channel the mean and the biased variance of its
    /// N*S values and y = γ (x - mean) / √(var + ε) + β, then max(0, y) when <paramref name="rectify"/> (a ReLU fused in).
    /// A channel a part on <paramref name="compute"/>'s threads, each channel's sums in the same order on whichever
    /// thread. x̂ is not stored: the backward pass computes it again from <paramref name="x"/>, the same bits.
    /// </summary>
    public static unsafe void BatchForwardImages(ComputeContext compute, ReadOnlySpan<float> x, int n, int c, int s, float epsilon, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<float> mean, Span<float> variance, Span<float> invStd, bool rectify, Span<float> y)
    {
        fixed (float* px = x, pg = gamma, pb = beta, pm = mean, pv = variance, pi = invStd, py = y)
            NormalizationJob.ForCurrentThread.Run(compute.Pool, new NormalizationJob.Operands
            {
                N = n, C = c, S = s, Epsilon = epsilon, Rectified = rectify, X = px, Gamma = pg, Beta = pb, Mean = pm, Variance = pv, InvStd = pi, Y = py,
            }, backward: false);
    }

    /// <summary><see cref="BatchForwardImages"/> of channel <paramref name="ch"/>: its statistics, then its planes normalised.</summary>
    internal static void BatchForwardChannel(ReadOnlySpan<float> x, int n, int c, int s, int ch, float epsilon, float gamma, float beta, bool rectify,
        out float mean, out float variance, out float invStd, Span<float> y)
    {
        double sum = 0;
        for (int r = 0; r < n; r++) sum += BatchNormPlanes.Sum(x.Slice((r * c + ch) * s, s));
        mean = (float)(sum / ((long)n * s));
        double squares = 0;
        for (int r = 0; r < n; r++) squares += BatchNormPlanes.SquaredDeviations(x.Slice((r * c + ch) * s, s), mean);
        variance = (float)(squares / ((long)n * s));
        invStd = 1f / MathF.Sqrt(variance + epsilon);
        for (int r = 0; r < n; r++)
        {
            int at = (r * c + ch) * s;
            BatchNormPlanes.Normalize(x.Slice(at, s), mean, invStd, gamma, beta, rectify, y.Slice(at, s));
        }
    }

    /// <summary>
    /// Backward of batch normalisation after a dense layer, in its closed form: dβ = Σ dy, dγ = Σ dy x̂ over each
    /// feature's N values, and dx = γ / (N √(var + ε)) (N dy - dβ - x̂ dγ); <paramref name="dx"/> may be empty (not needed).
    /// </summary>
    public static void BatchBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, int n, int c,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> invStd, Span<float> dgamma, Span<float> dbeta, Span<float> dx)
    {
        dgamma.Clear();
        dbeta.Clear();
        for (int r = 0; r < n; r++)
        {
            TensorPrimitives.Add(dbeta, dy.Slice(r * c, c), dbeta);
            TensorPrimitives.MultiplyAdd(dy.Slice(r * c, c), xhat.Slice(r * c, c), dgamma, dgamma);
        }
        if (dx.IsEmpty) return;
        for (int r = 0; r < n; r++)
            for (int ch = 0; ch < c; ch++)
            {
                int at = r * c + ch;
                float k = gamma[ch] * invStd[ch] / n;
                dx[at] = k * (n * dy[at] - dbeta[ch] - xhat[at] * dgamma[ch]);
            }
    }

    /// <summary>
    /// Backward of batch normalisation of images, the closed form of <see cref="BatchBackward"/> over each channel's
    /// M = N*S values, x̂ computed again from the forward pass's input <paramref name="x"/> and its
    /// <paramref name="mean"/> and <paramref name="invStd"/>. With <paramref name="rectified"/> (the forward pass's
    /// rectified outputs), <paramref name="dy"/> is the gradient of the fused ReLU's outputs. <paramref name="dx"/> may be empty.
    /// </summary>
    public static unsafe void BatchBackwardImages(ComputeContext compute, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> rectified,
        int n, int c, int s, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dgamma, Span<float> dbeta, Span<float> dx)
    {
        fixed (float* pdy = dy, px = x, pr = rectified, pg = gamma, pm = mean, pi = invStd, pdg = dgamma, pdb = dbeta, pdx = dx)
            NormalizationJob.ForCurrentThread.Run(compute.Pool, new NormalizationJob.Operands
            {
                N = n, C = c, S = s, Rectified = !rectified.IsEmpty, X = px, Y = pr, Gamma = pg, Mean = pm, InvStd = pi, Dy = pdy, Dgamma = pdg, Dbeta = pdb,
                Dx = dx.IsEmpty ? null : pdx,
            }, backward: true);
    }

    /// <summary><see cref="BatchBackwardImages"/> of channel <paramref name="ch"/>; <paramref name="rectified"/> and <paramref name="dx"/> may be empty.</summary>
    internal static void BatchBackwardChannel(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> rectified, int n, int c, int s, int ch,
        float gamma, float mean, float invStd, out float dgamma, out float dbeta, Span<float> dx)
    {
        double sumDy = 0, sumDyXhat = 0;
        for (int r = 0; r < n; r++)
        {
            int at = (r * c + ch) * s;
            var (planeDy, planeDyXhat) = BatchNormPlanes.GradientSums(dy.Slice(at, s), x.Slice(at, s), mean, invStd, Plane(rectified, at, s));
            sumDy += planeDy;
            sumDyXhat += planeDyXhat;
        }
        dbeta = (float)sumDy;
        dgamma = (float)sumDyXhat;
        if (dx.IsEmpty) return;
        float count = (float)((long)n * s), k = gamma * invStd / count;
        for (int r = 0; r < n; r++)
        {
            int at = (r * c + ch) * s;
            BatchNormPlanes.InputGradient(dy.Slice(at, s), x.Slice(at, s), mean, invStd, Plane(rectified, at, s), k * count, -k * dgamma, -k * dbeta, dx.Slice(at, s));
        }
    }

    private static ReadOnlySpan<float> Plane(ReadOnlySpan<float> values, int at, int length) => values.IsEmpty ? default : values.Slice(at, length);

    /// <summary>
    /// The running statistics' update, PyTorch's convention: running = (1 - momentum) running + momentum batch,
    /// the variance's batch value unbiased (times M / (M - 1)). With one value a channel (M = 1) the unbiased
    /// variance is undefined and the running variance is left as it is.
    /// </summary>
    public static void UpdateRunning(Span<float> runningMean, Span<float> runningVariance, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float momentum, long count)
    {
        for (int ch = 0; ch < runningMean.Length; ch++)
        {
            runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean[ch];
            if (count > 1) runningVariance[ch] = (1 - momentum) * runningVariance[ch] + momentum * (float)(variance[ch] * (double)count / (count - 1));
        }
    }

    /// <summary>The inference form y = scale x + shift: scale = γ / √(running var + ε), shift = β - running mean · scale.</summary>
    public static void InferenceAffine(ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance,
        float epsilon, Span<float> scale, Span<float> shift)
    {
        for (int ch = 0; ch < gamma.Length; ch++)
        {
            scale[ch] = gamma[ch] / MathF.Sqrt(runningVariance[ch] + epsilon);
            shift[ch] = beta[ch] - runningMean[ch] * scale[ch];
        }
    }

    /// <summary>y = scale[ch] x + shift[ch] over each channel of a batch [N, C, S].</summary>
    public static void ApplyAffine(ReadOnlySpan<float> x, int n, int c, int s, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        if (s == 1)
        {
            for (int r = 0; r < n; r++) TensorPrimitives.MultiplyAdd(x.Slice(r * c, c), scale, shift, y.Slice(r * c, c));
            return;
        }
        for (int r = 0; r < n; r++)
            for (int ch = 0; ch < c; ch++)
            {
                int at = (r * c + ch) * s;
                TensorPrimitives.Multiply(x.Slice(at, s), scale[ch], y.Slice(at, s));
                TensorPrimitives.Add(y.Slice(at, s), shift[ch], y.Slice(at, s));
            }
    }

    /// <summary>
    /// Layer normalisation forward over each of <paramref name="rows"/> samples of <paramref name="width"/> values:
    /// x̂ = (x - mean) / √(var + ε) (biased variance) into <paramref name="xhat"/>, y = γ ⊙ x̂ + β element by element.
    /// </summary>
    public static void LayerForward(ReadOnlySpan<float> x, int rows, int width, float epsilon, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> invStd, Span<float> xhat, Span<float> y)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            var centred = xhat.Slice(r * width, width);
            float mean = TensorPrimitives.Sum(row) / width;
            TensorPrimitives.Subtract(row, mean, centred);
            float variance = TensorPrimitives.SumOfSquares(centred) / width;
            invStd[r] = 1f / MathF.Sqrt(variance + epsilon);
            TensorPrimitives.Multiply(centred, invStd[r], centred);
            TensorPrimitives.MultiplyAdd(centred, gamma, beta, y.Slice(r * width, width));
        }
    }

    /// <summary>
    /// Layer normalisation backward: dγ = Σ_rows dy ⊙ x̂, dβ = Σ_rows dy (rows in order), and per row with
    /// g = γ ⊙ dy, dx = (1/σ) (g - mean(g) - x̂ mean(g ⊙ x̂)); <paramref name="dx"/> may be empty.
    /// </summary>
    public static void LayerBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> xhat, int rows, int width, ReadOnlySpan<float> gamma, ReadOnlySpan<float> invStd,
        Span<float> dgamma, Span<float> dbeta, Span<float> dx)
    {
        dgamma.Clear();
        dbeta.Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.MultiplyAdd(dy.Slice(r * width, width), xhat.Slice(r * width, width), dgamma, dgamma);
            TensorPrimitives.Add(dbeta, dy.Slice(r * width, width), dbeta);
        }
        if (dx.IsEmpty) return;
        for (int r = 0; r < rows; r++)
        {
            var g = dx.Slice(r * width, width);
            var xh = xhat.Slice(r * width, width);
            TensorPrimitives.Multiply(dy.Slice(r * width, width), gamma, g);
            float meanG = TensorPrimitives.Sum(g) / width;
            float meanGx = TensorPrimitives.Dot(g, xh) / width;
            TensorPrimitives.Subtract(g, meanG, g);
            TensorPrimitives.MultiplyAdd(xh, -meanGx, g, g);
            TensorPrimitives.Multiply(g, invStd[r], g);
        }
    }
}
