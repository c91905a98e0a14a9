using System.Collections.Concurrent;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// What the kernels may use for one network, trainer, optimizer or predictor: how many threads, which GEMM
/// micro-kernel, and the worker threads themselves. Immutable, and passed explicitly wherever work is done, so
/// that two trainings in one process with different settings never disturb each other.
/// </summary>
/// <remarks>
/// Work is split over outputs only, never over a sum, so results are bit-identical whatever
/// <see cref="Threads"/> is. Contexts with the same settings are one shared instance: their workers are made
/// once, and a context that is busy with one caller lets another do its work on its own thread, which gives
/// the same bits.
/// </remarks>
public sealed class ComputeContext
{
    private static readonly ConcurrentDictionary<(int Threads, GemmPath Path), ComputeContext> s_contexts = new();

    private ComputeContext(int threads, GemmPath path)
    {
        Threads = threads;
        GemmPath = path;
        Pool = new WorkerPool(threads);
    }

    /// <summary>Every core (<see cref="Environment.ProcessorCount"/>) and the widest GEMM path the processor runs.</summary>
    public static ComputeContext Default { get; } = Create();

    /// <summary>
    /// The context of <paramref name="threads"/> threads (0: one a core) and the GEMM micro-kernel
    /// <paramref name="path"/> (<see cref="GemmPath.Auto"/>: the widest the processor runs). Forcing a path is for
    /// tests and measurements.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative, or <paramref name="path"/> is not a <see cref="Kernels.GemmPath"/>.</exception>
    /// <exception cref="NotSupportedException">The processor cannot run <paramref name="path"/>.</exception>
    public static ComputeContext Create(int threads = 0, GemmPath path = GemmPath.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (!Enum.IsDefined(path)) throw new ArgumentOutOfRangeException(nameof(path), path, "Not a GemmPath.");
        if (!IsSupported(path)) throw new NotSupportedException($"This processor cannot run the {path} GEMM path.");
        var key = (threads == 0 ? Environment.ProcessorCount : threads, Resolve(path));
        return s_contexts.GetOrAdd(key, k => new ComputeContext(k.Threads, k.Path));
    }

    /// <summary>The number of threads a kernel may use, counting the calling one; at least 1.</summary>
    public int Threads { get; }

    /// <summary>The GEMM micro-kernel that runs: never <see cref="GemmPath.Auto"/>.</summary>
    public GemmPath GemmPath { get; }

    /// <summary>The worker threads that help the calling one.</summary>
    internal WorkerPool Pool { get; }

    /// <summary>This context's path on one thread: for the work inside one part of a parallel kernel.</summary>
    internal ComputeContext Serial => Threads == 1 ? this : Create(1, GemmPath);

    /// <summary>True when the processor can run <paramref name="path"/>.</summary>
    public static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Vector512 => Vector512Ops.IsSupported,
        GemmPath.Vector256 => Vector256Ops.IsSupported,
        _ => true,
    };

    /// <summary>The path <paramref name="path"/> stands for: Auto is the widest the processor supports.</summary>
    internal static GemmPath Resolve(GemmPath path) => path != GemmPath.Auto ? path
        : Vector512Ops.IsSupported ? GemmPath.Vector512
        : Vector256Ops.IsSupported ? GemmPath.Vector256
        : GemmPath.Portable;

    /// <inheritdoc/>
    public override string ToString() => $"{Threads} thread{(Threads == 1 ? "" : "s")}, {GemmPath} GEMM";
}
