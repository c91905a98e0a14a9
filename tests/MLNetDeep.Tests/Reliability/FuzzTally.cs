using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace MLNetDeep.Tests.Reliability;

/// <summary>
/// Runs loads of damaged files one at a time, each on a pool thread with a timeout, and tallies what
/// happened: how many loaded, which exceptions, the most bytes one load allocated, and anything outside
/// the documented exceptions (each documented type stands for itself and the types derived from it).
/// </summary>
internal sealed class FuzzTally(IReadOnlySet<Type> documented, TimeSpan timeout)
{
    private readonly Dictionary<string, int> _outcomes = [];
    private readonly List<string> _undocumented = [];
    private readonly Stopwatch _watch = new();

    public int Runs { get; private set; }

    public long MaxAllocatedBytes { get; private set; }

    public TimeSpan Elapsed => _watch.Elapsed;

    public IReadOnlyList<string> Undocumented => _undocumented;

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    /// <summary>Runs <paramref name="load"/>; fails the test at once when it does not return within the timeout.</summary>
    public void Run(string mutation, Action load)
    {
        _watch.Start();
        var task = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = null;
            try { load(); }
            catch (Exception e) { error = e; }
            return (error, GC.GetAllocatedBytesForCurrentThread() - before);
        });
        bool finished = task.Wait(timeout);
        _watch.Stop();
        Assert.True(finished, $"A load of a file damaged by '{mutation}' did not return within {timeout.TotalSeconds} s.");
        var (error, allocated) = task.Result;
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
