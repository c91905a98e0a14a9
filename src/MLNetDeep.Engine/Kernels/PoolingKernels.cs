using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Max and average pooling over each plane of a batch of images [C, H, W], without padding: the
/// window of <see cref="ConvGeometry"/> slides over every channel separately. Each output depends
/// only on its window, computed the same way every time, so results are deterministic; images
/// are shared among a <see cref="ComputeContext"/>'s threads.
/// </summary>
/// <remarks>
/// Max pooling picks, in every window, the largest value and on ties the smallest input index
/// (the first in row-major window order). That rule does not depend on the order the window is
/// scanned in, which lets 2x2 windows of stride 2, the common case, be done with vectors: the
/// vertical pairs of a row pair first, then the horizontal pairs of those winners.
/// </remarks>
internal static unsafe class PoolingKernels
{
    /// <summary>
    /// y = the maximum of each window of <paramref name="images"/> images; <paramref name="argmax"/>
    /// receives the index in <paramref name="x"/> of the value chosen. On ties the first maximum in
    /// row-major window order wins.
    /// </summary>
    public static void MaxPool(ComputeContext compute, in ConvGeometry g, int images, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        CheckSizes(g, images, x.Length, y.Length);
        if (argmax.Length < y.Length) throw new ArgumentException($"argmax has {argmax.Length} entries; the output has {y.Length}.", nameof(argmax));
        fixed (float* px = x, py = y)
        fixed (int* pa = argmax)
            PoolingJob.ForCurrentThread.Run(compute.Pool, PoolingJob.Operation.Max, g, images, px, py, pa);
    }

    /// <summary>
    /// dx = dy routed to the positions recorded by <see cref="MaxPool"/> for the same
    /// <paramref name="images"/> images (summed where windows overlap), 0 elsewhere.
    /// </summary>
    public static void MaxPoolBackward(ComputeContext compute, in ConvGeometry g, int images, ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        CheckSizes(g, images, dx.Length, dy.Length);
        if (argmax.Length < (long)images * g.Channels * g.OutputPixels) throw new ArgumentException($"argmax has {argmax.Length} entries; the gradient has {dy.Length}.", nameof(argmax));
        fixed (float* pdy = dy, pdx = dx)
        fixed (int* pa = argmax)
            PoolingJob.ForCurrentThread.Run(compute.Pool, PoolingJob.Operation.MaxBackward, g, images, pdy, pdx, pa);
    }

    /// <summary>y = the mean of each window of <paramref name="images"/> images.</summary>
    public static void AveragePool(ComputeContext compute, in ConvGeometry g, int images, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSizes(g, images, x.Length, y.Length);
        fixed (float* px = x, py = y)
            PoolingJob.ForCurrentThread.Run(compute.Pool, PoolingJob.Operation.Average, g, images, px, py, null);
    }

    /// <summary>dx = each window's dy spread evenly over the window (summed where windows overlap).</summary>
    public static void AveragePoolBackward(ComputeContext compute, in ConvGeometry g, int images, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSizes(g, images, dx.Length, dy.Length);
        fixed (float* pdy = dy, pdx = dx)
            PoolingJob.ForCurrentThread.Run(compute.Pool, PoolingJob.Operation.AverageBackward, g, images, pdy, pdx, null);
    }

    /// <summary>
    /// Max pooling of image <paramref name="image"/> of a batch whose values are not in the batch's tensor but in
    /// <paramref name="values"/> (a convolution's outputs for that image, still in its core's cache): the same
    /// outputs and winners as <see cref="MaxPool"/> on the whole batch, the winners' indices those of the batch.
    /// </summary>
    internal static void MaxPoolImage(in ConvGeometry g, int image, float* values, float* output, int* argmax) =>
        // The kernel addresses the batch from its start; the batch's start is never read, only the image.
        Image(PoolingJob.Operation.Max, g, image, values - (long)image * g.ImageSize, output, argmax);

    /// <summary>
    /// The gradient with respect to image <paramref name="image"/>'s pooling inputs, into <paramref name="dx"/>
    /// (that image alone): <see cref="MaxPoolBackward"/>'s routing of <paramref name="dy"/> to the winners, and
    /// then, with <paramref name="pooled"/> (the pooled outputs of rectified inputs), the ReLU's derivative as
    /// <see cref="ActivationKernels.LeakyReluBackwardRange"/> applies it: a winner whose value is not above 0
    /// passes dy x 0. Every other input's gradient is 0 either way. The same bits as the two passes over the
    /// batch, for one image, in its core's cache.
    /// </summary>
    internal static void MaxPoolImageBackward(in ConvGeometry g, int image, float* dy, int* argmax, float* pooled, Span<float> dx)
    {
        if (dx.Length < g.ImageSize) throw new ArgumentException($"dx has {dx.Length} values; an image has {g.ImageSize}.", nameof(dx));
        dx = dx[..g.ImageSize];
        dx.Clear();
        long first = (long)image * g.Channels * g.OutputPixels, end = first + g.Channels * g.OutputPixels;
        long imageStart = (long)image * g.ImageSize;
        // Indexing the span checks each winner, so indices not from MaxPool throw rather than write elsewhere.
        for (long o = first; o < end; o++) dx[(int)(argmax[o] - imageStart)] += dy[o];
        if (pooled == null) return;
        for (long o = first; o < end; o++)
        {
            if (pooled[o] > 0) continue;
            int i = (int)(argmax[o] - imageStart);
            dx[i] = dx[i] * 0f;
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on image <paramref name="image"/> alone: its planes, its
    /// outputs and, backward, its part of dx (max pooling's winners lie in their own image).
    /// </summary>
    internal static void Image(PoolingJob.Operation operation, in ConvGeometry g, int image, float* input, float* output, int* argmax)
    {
        int firstPlane = image * g.Channels, planeSize = g.Height * g.Width;
        float scale = 1f / (g.Kernel * g.Kernel);
        switch (operation)
        {
            case PoolingJob.Operation.Max when g.Kernel == 2 && g.Stride == 2 && Vector256.IsHardwareAccelerated && g.OutputWidth <= MaxVectorRowPairs / 2:
                MaxPool2x2(g, firstPlane, input, output, argmax);
                break;
            case PoolingJob.Operation.Max:
                var max = new MaxWindow { X = input, Y = output, Argmax = argmax, Kernel = g.Kernel, Width = g.Width };
                ForEachWindow(g, firstPlane, ref max);
                break;
            case PoolingJob.Operation.MaxBackward:
                var dx = new Span<float>(output + (long)firstPlane * planeSize, g.ImageSize);
                dx.Clear();
                int outputs = g.Channels * g.OutputPixels, imageStart = firstPlane * planeSize;
                // Indexing the span checks each winner, so indices not from MaxPool throw rather than write elsewhere.
                for (long o = (long)firstPlane * g.OutputPixels, end = o + outputs; o < end; o++) dx[argmax[o] - imageStart] += input[o];
                break;
            case PoolingJob.Operation.Average:
                var average = new AverageWindow { X = input, Y = output, Kernel = g.Kernel, Width = g.Width, Scale = scale };
                ForEachWindow(g, firstPlane, ref average);
                break;
            default:
                new Span<float>(output + (long)firstPlane * planeSize, g.ImageSize).Clear();
                var spread = new AverageSpreadWindow { Dy = input, Dx = output, Kernel = g.Kernel, Width = g.Width, Scale = scale };
                ForEachWindow(g, firstPlane, ref spread);
                break;
        }
    }

    /// <summary>The most vertical pairs the 2x2 path holds on the stack at once (16 KB with their indices).</summary>
    private const int MaxVectorRowPairs = 2048;

    /// <summary>
    /// 2x2 windows with stride 2. Output rows are taken in chunks: the vertical pairs of each output
    /// row's two input rows are reduced into a buffer, and then the horizontal pairs of the whole
    /// chunk at once (consecutive output rows are consecutive in y, across planes too).
    /// </summary>
    private static void MaxPool2x2(in ConvGeometry g, int firstPlane, float* x, float* y, int* argmax)
    {
        int w = g.Width, oh = g.OutputHeight, ow = g.OutputWidth, planeSize = g.Height * w, pairs = 2 * ow;
        int rowsPerChunk = Math.Max(1, MaxVectorRowPairs / pairs);
        float* best = stackalloc float[rowsPerChunk * pairs];
        int* index = stackalloc int[rowsPerChunk * pairs];
        int rows = (firstPlane + g.Channels) * oh;
        for (int first = firstPlane * oh; first < rows; first += rowsPerChunk)
        {
            int count = Math.Min(rowsPerChunk, rows - first);
            for (int i = 0; i < count; i++)
            {
                int plane = (first + i) / oh, oy = first + i - plane * oh;
                int top = plane * planeSize + 2 * oy * w;
                VerticalPairs(x, top, w, pairs, best + i * pairs, index + i * pairs);
            }
            HorizontalPairs(best, index, count * ow, y + (long)first * ow, argmax + (long)first * ow);
        }
    }

    /// <summary>For t in [0, length): the larger of x[top + t] and x[top + w + t] and its index (the upper one on a tie).</summary>
    private static void VerticalPairs(float* x, int top, int w, int length, float* best, int* index)
    {
        if (length < Vector256<float>.Count)
        {
            for (int t = 0; t < length; t++) Pick(x[top + t], top + t, x[top + w + t], top + w + t, out best[t], out index[t]);
            return;
        }
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var down = Vector256.Create(w);
        for (int step = 0; step < length; step += Vector256<float>.Count)
        {
            // The last block is moved back to end at length; the overlap is written twice, equally.
            int t = Math.Min(step, length - Vector256<float>.Count);
            var upper = Vector256.Load(x + top + t);
            var lower = Vector256.Load(x + top + w + t);
            var below = Vector256.GreaterThan(lower, upper);
            Vector256.ConditionalSelect(below, lower, upper).Store(best + t);
            (Vector256.Create(top + t) + lanes + (below.AsInt32() & down)).Store(index + t);
        }
    }

    /// <summary>For j in [0, count): the better of pair (2j, 2j + 1) of the vertical winners: larger, or on a tie the smaller index.</summary>
    private static void HorizontalPairs(float* best, int* index, int count, float* y, int* argmax)
    {
        if (count < Vector256<float>.Count)
        {
            for (int j = 0; j < count; j++) Pick(best[2 * j], index[2 * j], best[2 * j + 1], index[2 * j + 1], out y[j], out argmax[j]);
            return;
        }
        for (int step = 0; step < count; step += Vector256<float>.Count)
        {
            int j = Math.Min(step, count - Vector256<float>.Count);
            var (left, right) = Deinterleave(Vector256.Load(best + 2 * j), Vector256.Load(best + 2 * j + 8));
            var (leftIndex, rightIndex) = Deinterleave(Vector256.Load(index + 2 * j), Vector256.Load(index + 2 * j + 8));
            var takeRight = Vector256.GreaterThan(right, left).AsInt32()
                | (Vector256.Equals(right, left).AsInt32() & Vector256.LessThan(rightIndex, leftIndex));
            Vector256.ConditionalSelect(takeRight.AsSingle(), right, left).Store(y + j);
            Vector256.ConditionalSelect(takeRight, rightIndex, leftIndex).Store(argmax + j);
        }
    }

    /// <summary>Splits 16 consecutive values into those at even positions and those at odd positions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<T> Even, Vector256<T> Odd) Deinterleave<T>(Vector256<T> a, Vector256<T> b)
    {
        var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var pa = Vector256.Shuffle(a.AsInt32(), order).As<int, T>();
        var pb = Vector256.Shuffle(b.AsInt32(), order).As<int, T>();
        return (Vector256.Create(pa.GetLower(), pb.GetLower()), Vector256.Create(pa.GetUpper(), pb.GetUpper()));
    }

    /// <summary>The better of two candidates: the larger value, or on a tie the smaller index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pick(float a, int ia, float b, int ib, out float value, out int index)
    {
        bool takeB = b > a || (b == a && ib < ia);
        value = takeB ? b : a;
        index = takeB ? ib : ia;
    }

    /// <summary>What pooling does at one window: output index <c>o</c>, top-left input index <c>corner</c>.</summary>
    private interface IWindow
    {
        void At(int o, int corner);
    }

    /// <summary>
    /// Calls <paramref name="window"/> at every window position of the image whose first plane is
    /// <paramref name="firstPlane"/>. A struct type argument, so the JIT compiles one loop per kind
    /// of window with its body inlined.
    /// </summary>
    private static void ForEachWindow<TWindow>(in ConvGeometry g, int firstPlane, ref TWindow window) where TWindow : struct, IWindow
    {
        int s = g.Stride, w = g.Width, oh = g.OutputHeight, ow = g.OutputWidth, planeSize = g.Height * w;
        int o = firstPlane * oh * ow;
        for (int plane = firstPlane; plane < firstPlane + g.Channels; plane++)
            for (int oy = 0; oy < oh; oy++)
            {
                int rowCorner = plane * planeSize + oy * s * w;
                for (int ox = 0; ox < ow; ox++, o++) window.At(o, rowCorner + ox * s);
            }
    }

    private struct MaxWindow : IWindow
    {
        public float* X, Y;
        public int* Argmax;
        public int Kernel, Width;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void At(int o, int corner)
        {
            int best = corner;
            float max = X[corner];
            for (int ky = 0; ky < Kernel; ky++)
            {
                int row = corner + ky * Width;
                for (int kx = 0; kx < Kernel; kx++)
                {
                    // Arithmetic selects rather than a branch: which input wins is data, and a
                    // branch mispredicted at every other window costs more than the comparison.
                    float v = X[row + kx];
                    int larger = -Unsafe.BitCast<bool, byte>(v > max);
                    best ^= (best ^ (row + kx)) & larger;
                    max = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(max) ^ ((BitConverter.SingleToInt32Bits(max) ^ BitConverter.SingleToInt32Bits(v)) & larger));
                }
            }
            Y[o] = max;
            Argmax[o] = best;
        }
    }

    private struct AverageWindow : IWindow
    {
        public float* X, Y;
        public int Kernel, Width;
        public float Scale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void At(int o, int corner)
        {
            float sum = 0;
            for (int ky = 0; ky < Kernel; ky++)
            {
                float* row = X + corner + ky * Width;
                for (int kx = 0; kx < Kernel; kx++) sum += row[kx];
            }
            Y[o] = sum * Scale;
        }
    }

    private struct AverageSpreadWindow : IWindow
    {
        public float* Dy, Dx;
        public int Kernel, Width;
        public float Scale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void At(int o, int corner)
        {
            float share = Dy[o] * Scale;
            for (int ky = 0; ky < Kernel; ky++)
            {
                float* row = Dx + corner + ky * Width;
                for (int kx = 0; kx < Kernel; kx++) row[kx] += share;
            }
        }
    }

    /// <summary>Checks the buffers against the geometry.</summary>
    private static void CheckSizes(in ConvGeometry g, int images, int inputLength, int outputLength)
    {
        ConvGeometry.ThrowIfDefault(g, nameof(g));
        if (g.Padding != 0) throw new ArgumentException("Pooling takes no padding.", nameof(g));
        ArgumentOutOfRangeException.ThrowIfNegative(images);
        int planes = images * g.Channels;
        if (inputLength < (long)planes * g.Height * g.Width)
            throw new ArgumentException($"The input has {inputLength} values; {images} images [{g.Channels}, {g.Height}, {g.Width}] need {(long)planes * g.Height * g.Width}.");
        if (outputLength < (long)planes * g.OutputPixels)
            throw new ArgumentException($"The output has {outputLength} values; {images} pooled images need {(long)planes * g.OutputPixels}.");
    }
}
