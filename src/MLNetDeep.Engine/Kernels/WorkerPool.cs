using System.Runtime.ExceptionServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// A few persistent background threads that run the parts of one <see cref="IParallelWork"/>
/// while the calling thread runs part 0. Each worker waits on its own signal and is given a
/// fixed part, so a run allocates nothing: no closures, no tasks, no arrays. One run at a
/// time: a caller that finds the pool busy is told so and does the work alone.
/// </summary>
internal sealed class WorkerPool
{
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _finished = new(false);
    private ManualResetEventSlim[] _signals = [];
    private int[] _parts = [];
    private IParallelWork? _work;
    private int _remaining;
    private ExceptionDispatchInfo? _failure;
    private long _runs;

    /// <summary>The pool the kernels share.</summary>
    public static WorkerPool Shared { get; } = new();

    /// <summary>How many runs used the workers; lets tests see that a product really went parallel.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>
    /// Runs parts 0 to <paramref name="parts"/> - 1 of <paramref name="work"/>, part 0 on the
    /// calling thread, and returns when all are done. Returns false, having run nothing, when
    /// another thread is using the pool.
    /// </summary>
    public bool TryRun(IParallelWork work, int parts)
    {
        if (!Monitor.TryEnter(_gate)) return false;
        try
        {
            EnsureWorkers(parts - 1);
            _work = work;
            _failure = null;
            _remaining = parts - 1;
            _finished.Reset();
            for (int w = 0; w < parts - 1; w++)
            {
                _parts[w] = w + 1;
                _signals[w].Set();
            }
            try
            {
                work.Run(0);
            }
            finally
            {
                // The workers read the caller's pinned memory: never leave before they are done.
                if (parts > 1) _finished.Wait();
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

    private void EnsureWorkers(int count)
    {
        int existing = _signals.Length;
        if (count <= existing) return;
        Array.Resize(ref _signals, count);
        Array.Resize(ref _parts, count);
        for (int w = existing; w < count; w++)
        {
            _signals[w] = new ManualResetEventSlim(false);
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"MLNetDeep kernel worker {w + 1}" };
            thread.Start(w);
        }
    }

    private void WorkerLoop(object? state)
    {
        int w = (int)state!;
        ManualResetEventSlim signal = Volatile.Read(ref _signals)[w];
        while (true)
        {
            signal.Wait();
            signal.Reset();
            try
            {
                _work!.Run(_parts[w]);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                if (Interlocked.Decrement(ref _remaining) == 0) _finished.Set();
            }
        }
    }
}
