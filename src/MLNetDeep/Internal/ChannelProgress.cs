using Microsoft.ML.Runtime;

namespace MLNetDeep.Internal;

/// <summary>
/// Writes training progress to an ML.NET channel, so it reaches <c>MLContext.Log</c>, and forwards
/// each report (an epoch of back-propagation or of RBM pre-training) to the user's <see cref="IProgress{T}"/>.
/// The channel's Info helper (HostExtensions.Info) is internal to ML.NET, hence this file's place.
/// </summary>
internal sealed class ChannelProgress<TReport>(IChannel channel, IProgress<TReport>? user) : IProgress<TReport>
    where TReport : notnull
{
    public void Info(string message) => channel.Info(message);

    public void Warning(string message) => channel.Warning(message);

    public void Report(TReport value)
    {
        channel.Info(value.ToString());
        user?.Report(value);
    }
}
