using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Max and average pooling over each plane of a batch of images [C, H, W], without padding: the
/// window of <see cref="ConvGeometry"/> slides over every channel separately. Windows are visited
/// in order (planes, then output rows, then columns), so results are deterministic.
/// </summary>
public static unsafe class PoolingKernels
{
    /// <summary>
    /// y = the maximum of each window of <paramref name="images"/> images; <paramref name="argmax"/>
    /// receives the index in <paramref name="x"/> of the value chosen. On ties the first maximum in
    /// row-major window order wins.
    /// </summary>
    public static void MaxPool(in ConvGeometry g, int images, ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        int planes = CheckSizes(g, images, x.Length, y.Length);
        if (argmax.Length < y.Length) throw new ArgumentException($"argmax has {argmax.Length} entries; the output has {y.Length}.", nameof(argmax));
        fixed (float* px = x, py = y)
        fixed (int* pa = argmax)
        {
            var window = new MaxWindow { X = px, Y = py, Argmax = pa, Kernel = g.Kernel, Width = g.Width };
            WindowJob<MaxWindow>.Execute(g, planes, ref window);
        }
    }

    /// <summary>dx = dy routed to the positions recorded by <see cref="MaxPool"/> (summed where windows overlap), 0 elsewhere.</summary>
    public static void MaxPoolBackward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx)
    {
        if (argmax.Length < dy.Length) throw new ArgumentException($"argmax has {argmax.Length} entries; the gradient has {dy.Length}.", nameof(argmax));
        dx.Clear();
        for (int o = 0; o < dy.Length; o++) dx[argmax[o]] += dy[o];
    }

    /// <summary>y = the mean of each window of <paramref name="images"/> images.</summary>
    public static void AveragePool(in ConvGeometry g, int images, ReadOnlySpan<float> x, Span<float> y)
    {
        int planes = CheckSizes(g, images, x.Length, y.Length);
        fixed (float* px = x, py = y)
        {
            var window = new AverageWindow { X = px, Y = py, Kernel = g.Kernel, Width = g.Width, Scale = 1f / (g.Kernel * g.Kernel) };
            WindowJob<AverageWindow>.Execute(g, planes, ref window);
        }
    }

    /// <summary>dx = each window's dy spread evenly over the window (summed where windows overlap).</summary>
    public static void AveragePoolBackward(in ConvGeometry g, int images, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int planes = CheckSizes(g, images, dx.Length, dy.Length);
        dx[..(planes * g.Height * g.Width)].Clear();
        fixed (float* pdy = dy, pdx = dx)
        {
            var window = new AverageSpreadWindow { Dy = pdy, Dx = pdx, Kernel = g.Kernel, Width = g.Width, Scale = 1f / (g.Kernel * g.Kernel) };
            WindowJob<AverageSpreadWindow>.Execute(g, planes, ref window);
        }
    }

    /// <summary>What pooling does at one window: output index <c>o</c>, top-left input index <c>corner</c>.</summary>
    private interface IWindow
    {
        void At(int o, int corner);
    }

    /// <summary>
    /// Calls <paramref name="window"/> at every window position of planes [<paramref name="from"/>,
    /// <paramref name="to"/>), in order. A struct type argument, so the JIT compiles one loop per
    /// kind of window with its body inlined.
    /// </summary>
    private static void ForEachWindow<TWindow>(in ConvGeometry g, int from, int to, ref TWindow window) where TWindow : struct, IWindow
    {
        int s = g.Stride, w = g.Width, oh = g.OutputHeight, ow = g.OutputWidth, planeSize = g.Height * w;
        int o = from * oh * ow;
        for (int plane = from; plane < to; plane++)
            for (int oy = 0; oy < oh; oy++)
            {
                int rowCorner = plane * planeSize + oy * s * w;
                for (int ox = 0; ox < ow; ox++, o++) window.At(o, rowCorner + ox * s);
            }
    }

    /// <summary>
    /// Splits the planes over <see cref="KernelThreads.Count"/> threads. A plane is one thread's
    /// alone, and windows only read and write inside their plane, so the result does not depend
    /// on the split. One job object a calling thread, reused: a call allocates nothing.
    /// </summary>
    private sealed class WindowJob<TWindow> : IParallelWork where TWindow : struct, IWindow
    {
        /// <summary>Below this many window elements, waking a worker costs more than it saves.</summary>
        private const long ParallelThreshold = 1 << 16;

        [ThreadStatic]
        private static WindowJob<TWindow>? t_job;

        private ConvGeometry _geometry;
        private TWindow _window;
        private int _planes, _parts;

        public static void Execute(in ConvGeometry g, int planes, ref TWindow window)
        {
            int threads = KernelThreads.Count;
            if (threads > 1 && planes > 1 && (long)planes * g.OutputPixels * g.Kernel * g.Kernel >= ParallelThreshold)
            {
                var job = t_job ??= new WindowJob<TWindow>();
                (job._geometry, job._window, job._planes, job._parts) = (g, window, planes, Math.Min(planes, 4 * threads));
                bool ran = WorkerPool.Shared.TryRun(job, job._parts, threads);
                job._window = default;
                if (ran) return;
            }
            ForEachWindow(g, 0, planes, ref window);
        }

        public void Run(int part)
        {
            int from = (int)((long)_planes * part / _parts), to = (int)((long)_planes * (part + 1) / _parts);
            var window = _window;
            ForEachWindow(_geometry, from, to, ref window);
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
                    max = MathF.Max(max, v);
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

    /// <summary>Checks the buffers against the geometry and returns the number of planes.</summary>
    private static int CheckSizes(in ConvGeometry g, int images, int inputLength, int outputLength)
    {
        if (g.Padding != 0) throw new ArgumentException("Pooling takes no padding.", nameof(g));
        ArgumentOutOfRangeException.ThrowIfNegative(images);
        int planes = images * g.Channels;
        if (inputLength < (long)planes * g.Height * g.Width)
            throw new ArgumentException($"The input has {inputLength} values; {images} images [{g.Channels}, {g.Height}, {g.Width}] need {(long)planes * g.Height * g.Width}.");
        if (outputLength < (long)planes * g.OutputPixels)
            throw new ArgumentException($"The output has {outputLength} values; {images} pooled images need {(long)planes * g.OutputPixels}.");
        return planes;
    }
}
