using Microsoft.ML.Runtime;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Internal;

/// <summary>
/// Writes training progress to an ML.NET channel, so it reaches <c>MLContext.Log</c>, and forwards
/// each epoch report to the user's <see cref="IProgress{T}"/>. The channel's Info helper
/// (HostExtensions.Info) is internal to ML.NET, hence this file's place.
/// </summary>
internal sealed class ChannelProgress(IChannel channel, IProgress<EpochReport>? user) : IProgress<EpochReport>
{
    public void Info(string message) => channel.Info(message);

    public void Warning(string message) => channel.Warning(message);

    public void Report(EpochReport value)
    {
        channel.Info(value.ToString());
        user?.Report(value);
    }
}
