namespace MLNetDeep.Engine.Training;

/// <summary>The outcome of <see cref="NetworkTrainer.Fit"/>.</summary>
/// <param name="History">One report per epoch run (with a resumed run, the epochs before the checkpoint too).</param>
/// <param name="BestEpoch">The epoch whose weights the network holds at the end (the last one without early stopping).</param>
/// <param name="StoppedEarly">True when validation loss stopped improving before the last epoch.</param>
public sealed record TrainingResult(IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly)
{
    /// <summary>
    /// With <see cref="DivergencePolicy.RestoreBest"/>, the divergence that stopped training (the network
    /// then holds the weights of <see cref="BestEpoch"/>); null when training did not diverge.
    /// </summary>
    public TrainingDivergedException? Divergence { get; init; }

    /// <summary>The epoch of the checkpoint the run resumed from, or 0 when it started afresh.</summary>
    public int ResumedAfterEpoch { get; init; }
}
