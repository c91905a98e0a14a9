namespace MLNetDeep.Engine.Training;

/// <summary>Thrown when the training loss or a weight becomes NaN or infinite: the learning rate is usually too high.</summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for the given epoch and step, whose loss was <paramref name="loss"/>.</summary>
    public TrainingDivergedException(int epoch, int step, float loss)
        : this(epoch, step, loss, $"the loss is {loss}") { }

    private TrainingDivergedException(int epoch, int step, float loss, string what)
        : base($"Training diverged at epoch {epoch}, step {step}: {what}. Lower the learning rate, clip gradients, or check the data for extreme values.")
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
    }

    /// <summary>The loss was finite but the update left a weight that is not; found at the end of the epoch.</summary>
    internal static TrainingDivergedException NonFiniteWeights(int epoch, int step) =>
        new(epoch, step, float.NaN, "a weight is no longer finite");

    /// <summary>The validation loss is not finite.</summary>
    internal static TrainingDivergedException NonFiniteValidation(int epoch, int step, float loss) =>
        new(epoch, step, loss, $"the validation loss is {loss}");

    /// <summary>The epoch (from 1) in which the loss stopped being finite.</summary>
    public int Epoch { get; }

    /// <summary>The step within that epoch (from 1).</summary>
    public int Step { get; }

    /// <summary>The loss that was not finite (NaN when a weight, not the loss, was found non-finite).</summary>
    public float Loss { get; }
}
