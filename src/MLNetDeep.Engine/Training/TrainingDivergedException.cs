namespace MLNetDeep.Engine.Training;

/// <summary>Thrown when the training loss becomes NaN or infinite: the learning rate is usually too high.</summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for the given epoch and step.</summary>
    public TrainingDivergedException(int epoch, int step, float loss)
        : base($"Training diverged at epoch {epoch}, step {step}: the loss is {loss}. Lower the learning rate, clip gradients, or check the data for extreme values.")
    {
        Epoch = epoch;
        Step = step;
    }

    /// <summary>The epoch (from 1) in which the loss stopped being finite.</summary>
    public int Epoch { get; }

    /// <summary>The step within that epoch (from 1).</summary>
    public int Step { get; }
}
