using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>Where an epoch's training batches come from: samples picked by index, or a stream through a shuffle pool.</summary>
internal interface IBatchFeed
{
    /// <summary>The number of target values per sample.</summary>
    int TargetSize { get; }

    /// <summary>True when the samples carry weights.</summary>
    bool HasWeights { get; }

    /// <summary>Starts an epoch (shuffles, or opens a pass).</summary>
    void StartEpoch();

    /// <summary>
    /// Writes up to <paramref name="features"/>.Batch samples into its rows, their targets and weights, and
    /// returns how many; 0 ends the epoch.
    /// </summary>
    int Next(Tensor features, Span<float> targets, Span<float> weights);

    /// <summary>Ends the epoch's pass early (cancellation, divergence): releases what it holds.</summary>
    void Stop();
}
