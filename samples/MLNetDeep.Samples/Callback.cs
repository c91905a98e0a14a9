namespace MLNetDeep.Samples;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs the action on the trainer's own thread, as each report is
/// made (<see cref="Progress{T}"/> would post it to the thread pool and could run it late).
/// </summary>
internal sealed class Callback<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
