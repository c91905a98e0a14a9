namespace MLNetDeep.Engine.Training;

/// <summary>What <see cref="NetworkTrainer.Fit"/> does when the loss (or a weight) stops being finite.</summary>
public enum DivergencePolicy
{
    /// <summary>Throw a <see cref="TrainingDivergedException"/>; the network is left as the failing step made it.</summary>
    Throw,

    /// <summary>
    /// Stop training and give the network back the best weights so far: those of the best validation
    /// epoch when early stopping tracks one, else those of the last epoch that finished with finite
    /// loss and weights. <see cref="TrainingResult.Divergence"/> says what happened. When the first
    /// epoch diverges there is nothing to restore, and the exception is thrown as with <see cref="Throw"/>.
    /// </summary>
    RestoreBest,
}
