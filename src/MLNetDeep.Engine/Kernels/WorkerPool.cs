using System.Runtime.ExceptionServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// A few persistent background threads that help the calling thread run the parts of one
/// <see cref="IParallelWork"/>. Each worker waits on its own signal; every participant takes
/// the next unclaimed part until none is left. A worker that wakes late (its core busy with
/// another process) finds the run closed and leaves it alone, so the caller never waits for
/// a thread that has not started. A run allocates nothing: no closures, no tasks, no arrays.
/// One run at a time: a caller that finds the pool busy is told so and does the work alone.
/// Each <see cref="ComputeContext"/> has its own pool, sized to its thread count.
/// </summary>
internal sealed class WorkerPool
{
    /// <summary>Creates a pool for <paramref name="threads"/> threads (the caller and threads - 1 workers, started on first use).</summary>
    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
    }

    /// <summary>The threads a run may use, counting the calling one.</summary>
    public int Threads { get; }

    /// <summary>Flag in <see cref="_state"/>: the run takes no more workers. The other bits count workers in it.</summary>
    private const int Closed = 1 << 30;

    private readonly object _gate = new();
    private readonly ManualResetEventSlim _finished = new(false);
    private ManualResetEventSlim[] _signals = [];
    private IParallelWork? _work;
    private int _parts;
    private int _nextPart;
    private int _state = Closed;
    private ExceptionDispatchInfo? _failure;
    private long _runs;

    /// <summary>How many runs were offered to the workers; lets tests see that a product really went parallel.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>
    /// Runs parts 0 to <paramref name="parts"/> - 1 of <paramref name="work"/> on the calling thread
    /// and up to <see cref="Threads"/> - 1 workers, and returns when all are done. Returns
    /// false, having run nothing, when another thread is using the pool, or when called from a
    /// part of the run in progress (a kernel inside a parallel kernel): a nested run would take
    /// over the workers' state, so the inner work runs on its own thread instead.
    /// </summary>
    public bool TryRun(IParallelWork work, int parts)
    {
        int threads = Threads;
        // The monitor is reentrant: the calling thread of a run would enter it again.
        if (Monitor.IsEntered(_gate) || !Monitor.TryEnter(_gate)) return false;
        try
        {
            int helpers = Math.Min(threads, parts) - 1;
            EnsureWorkers(helpers);
            _work = work;
            _parts = parts;
            _nextPart = 0;
            _failure = null;
            _finished.Reset();
            Volatile.Write(ref _state, 0);
            for (int w = 0; w < helpers; w++) _signals[w].Set();
            try
            {
                RunParts(work);
            }
            finally
            {
                // Every part is claimed: close the run and wait only for the workers inside it,
                // which read the caller's pinned memory.
                int inside = Interlocked.Or(ref _state, Closed);
                if (inside != 0) _finished.Wait();
                _work = null;
            }
            _failure?.Throw();
            Interlocked.Increment(ref _runs);
            return true;
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    /// <summary>
    /// Runs every part of <paramref name="work"/>: on the pool when <paramref name="parallel"/>,
    /// there are several parts, <see cref="Threads"/> is above 1 and the pool is free;
    /// otherwise on the calling thread, in order. Parts must not depend on which thread runs them.
    /// </summary>
    public void RunAll(IParallelWork work, int parts, bool parallel = true)
    {
        if (parallel && parts > 1 && Threads > 1 && TryRun(work, parts)) return;
        for (int part = 0; part < parts; part++) work.Run(part);
    }

    private void RunParts(IParallelWork work)
    {
        int part;
        while ((part = Interlocked.Increment(ref _nextPart) - 1) < _parts) work.Run(part);
    }

    private bool TryEnterRun()
    {
        int state = Volatile.Read(ref _state);
        while ((state & Closed) == 0)
        {
            int seen = Interlocked.CompareExchange(ref _state, state + 1, state);
            if (seen == state) return true;
            state = seen;
        }
        return false;
    }

    private void EnsureWorkers(int count)
    {
        int existing = _signals.Length;
        if (count <= existing) return;
        Array.Resize(ref _signals, count);
        for (int w = existing; w < count; w++)
        {
            _signals[w] = new ManualResetEventSlim(false);
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"MLNetDeep kernel worker {w + 1}" };
            thread.Start(_signals[w]);
        }
    }

    private void WorkerLoop(object? state)
    {
        var signal = (ManualResetEventSlim)state!;
        while (true)
        {
            signal.Wait();
            signal.Reset();
            // A signal left from a run that closed before this worker woke finds nothing to do.
            if (!TryEnterRun()) continue;
            try
            {
                RunParts(_work!);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                if (Interlocked.Decrement(ref _state) == Closed) _finished.Set();
            }
        }
    }
}
