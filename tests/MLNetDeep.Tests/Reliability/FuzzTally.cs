using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace MLNetDeep.Tests.Reliability;

/// <summary>
/// Loads damaged files one after another on a thread of its own (pool threads are slow to come by while other
/// tests run) under a watchdog, and tallies what happened: how many loaded, which exceptions, the most bytes one
/// load allocated, and anything outside the documented exceptions (each documented type stands for itself and
/// the types derived from it).
/// </summary>
internal sealed class FuzzTally(IReadOnlySet<Type> documented, TimeSpan timeout)
{
    private readonly Dictionary<string, int> _outcomes = [];
    private readonly List<string> _undocumented = [];
    private long _loadStarted; // Stopwatch timestamp of the load in progress, 0 between loads
    private string _mutation = "";

    public int Runs { get; private set; }

    public long MaxAllocatedBytes { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public IReadOnlyList<string> Undocumented => _undocumented;

    /// <summary>
    /// Makes and loads <paramref name="count"/> damaged files: <paramref name="next"/> gives the i-th file's kind of
    /// damage and its load. Fails the test when one load does not return within the timeout.
    /// </summary>
    public void RunAll(int count, Func<int, (string Mutation, Action Load)> next)
    {
        var watch = Stopwatch.StartNew();
        Exception? crash = null;
        var worker = new Thread(() =>
        {
            try
            {
                for (int i = 0; i < count; i++)
                {
                    var (mutation, load) = next(i);
                    Run(mutation, load);
                }
            }
            catch (Exception e) { crash = e; }
        }) { IsBackground = true, Name = "fuzz loads" };
        worker.Start();
        while (!worker.Join(50))
        {
            long started = Interlocked.Read(ref _loadStarted);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > timeout)
                Assert.Fail($"A load of a file damaged by '{Volatile.Read(ref _mutation)}' did not return within {timeout.TotalSeconds} s.");
        }
        Elapsed = watch.Elapsed;
        if (crash is not null) throw new InvalidOperationException("The fuzz loop itself failed.", crash);
    }

    private void Run(string mutation, Action load)
    {
        Volatile.Write(ref _mutation, mutation);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Interlocked.Exchange(ref _loadStarted, Stopwatch.GetTimestamp());
        Exception? error = null;
        try { load(); }
        catch (Exception e) { error = e; }
        Interlocked.Exchange(ref _loadStarted, 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Runs++;
        MaxAllocatedBytes = Math.Max(MaxAllocatedBytes, allocated);
        // ML.NET calls loaders by reflection and lets TargetInvocationException wrap what they throw, once per
        // level of the model (a chain, then a transformer): the cause is the innermost exception.
        Exception? cause = error;
        while (cause is TargetInvocationException { InnerException: { } inner }) cause = inner;
        string outcome = error is null ? "loaded" : cause == error ? error.GetType().Name : $"{cause!.GetType().Name} (wrapped)";
        _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        if (cause is not null && !documented.Any(type => type.IsInstanceOfType(cause)) && _undocumented.Count < 20)
            _undocumented.Add($"{mutation}: {error}");
    }

    public string Summary(string what)
    {
        var text = new StringBuilder($"{what}: {Runs} damaged files in {Elapsed.TotalSeconds:F1} s, at most {MaxAllocatedBytes / 1024.0 / 1024:F2} MB allocated by one load; ");
        text.AppendJoin(", ", _outcomes.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"));
        return text.ToString();
    }
}
