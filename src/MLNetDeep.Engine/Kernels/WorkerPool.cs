using System.Diagnostics;
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
/// <remarks>
/// After a run a worker watches for the next one for <see cref="SpinMicroseconds"/> before it
/// blocks on its signal, and the caller spins the same while the last worker finishes: the
/// kernels of a training step come microseconds apart, and waking a blocked thread costs
/// tens of microseconds on a virtual machine, a large share of a product that takes a few
/// hundred (measured in docs/BENCHMARKS.md).
/// </remarks>
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

    /// <summary>Flag in <see cref="_state"/>: the run takes no more workers.</summary>
    private const int Closed = 1 << 30;

    /// <summary>The low bits of <see cref="_state"/>: workers inside the run now.</summary>
    private const int InsideMask = (1 << 15) - 1;

    /// <summary>One worker admitted to the run, in bits 15 to 29 of <see cref="_state"/>: no more than the run's helpers enter.</summary>
    private const int Admitted = 1 << 15;

    /// <summary>How long a worker keeps watching for the next run, and the caller for the last worker, before blocking.</summary>
    internal const int SpinMicroseconds = 200;

    private static readonly long s_spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    private readonly object _gate = new();
    private readonly object _finished = new();
    private Worker[] _workers = [];
    private int _generation;
    private IParallelWork? _work;
    private int _parts;
    private int _helpers;
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
            _helpers = helpers;
            Volatile.Write(ref _state, 0);
            // A full fence: a worker that is about to block either sees the new generation or
            // is seen sleeping here and signalled.
            Interlocked.Increment(ref _generation);
            for (int w = 0; w < helpers; w++)
            {
                Worker worker = _workers[w];
                if (Volatile.Read(ref worker.Sleeping) != 0) worker.Signal.Set();
            }
            try
            {
                RunParts(work);
            }
            finally
            {
                // Every part is claimed: close the run and wait only for the workers inside it,
                // which read the caller's pinned memory.
                int inside = Interlocked.Or(ref _state, Closed) & InsideMask;
                if (inside != 0) WaitForWorkers();
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

    /// <summary>Returns once every worker inside the closed run has left it.</summary>
    private void WaitForWorkers()
    {
        // The workers inside are running parts already claimed: spin for them a while first.
        long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
        while ((Volatile.Read(ref _state) & InsideMask) != 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                lock (_finished)
                {
                    while ((Volatile.Read(ref _state) & InsideMask) != 0) Monitor.Wait(_finished);
                }
                return;
            }
            Thread.SpinWait(8);
        }
    }

    /// <summary>Spins until a run later than <paramref name="seen"/> is offered; false if none came in time.</summary>
    private bool SpinForRun(int seen)
    {
        long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
        while (Volatile.Read(ref _generation) == seen)
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            Thread.SpinWait(8);
        }
        return true;
    }

    private bool TryEnterRun()
    {
        int state = Volatile.Read(ref _state);
        // Workers left from runs with more threads watch too: only the run's helpers get in.
        while ((state & Closed) == 0 && state >> 15 < _helpers)
        {
            int seen = Interlocked.CompareExchange(ref _state, state + Admitted + 1, state);
            if (seen == state) return true;
            state = seen;
        }
        return false;
    }

    private void EnsureWorkers(int count)
    {
        int existing = _workers.Length;
        if (count <= existing) return;
        Array.Resize(ref _workers, count);
        for (int w = existing; w < count; w++)
        {
            // The generation before the run that starts it: the new thread joins that run.
            _workers[w] = new Worker { Seen = Volatile.Read(ref _generation) };
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"MLNetDeep kernel worker {w + 1}" };
            thread.Start(_workers[w]);
        }
    }

    private void WorkerLoop(object? state)
    {
        var worker = (Worker)state!;
        int seen = worker.Seen;
        while (true)
        {
            if (!SpinForRun(seen))
            {
                worker.Signal.Reset();
                Interlocked.Exchange(ref worker.Sleeping, 1);
                if (Volatile.Read(ref _generation) == seen) worker.Signal.Wait();
                Volatile.Write(ref worker.Sleeping, 0);
            }
            seen = Volatile.Read(ref _generation);
            // A run that closed before this worker came finds nothing to do.
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
                if ((Interlocked.Decrement(ref _state) & (Closed | InsideMask)) == Closed)
                {
                    lock (_finished) Monitor.PulseAll(_finished);
                }
            }
        }
    }

    /// <summary>One background thread's signal, and whether it is blocked on it (1) rather than spinning.</summary>
    private sealed class Worker
    {
        public readonly ManualResetEventSlim Signal = new(false);
        public int Sleeping;
        public int Seen;
    }
}
