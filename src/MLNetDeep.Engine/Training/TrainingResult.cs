namespace MLNetDeep.Engine.Training;

/// <summary>The outcome of <see cref="NetworkTrainer.Fit"/>.</summary>
/// <param name="History">One report per epoch run.</param>
/// <param name="BestEpoch">The epoch whose weights the network holds at the end (the last one without early stopping).</param>
/// <param name="StoppedEarly">True when validation loss stopped improving before the last epoch.</param>
public sealed record TrainingResult(IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly);
