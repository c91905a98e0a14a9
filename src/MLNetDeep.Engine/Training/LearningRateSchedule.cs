namespace MLNetDeep.Engine.Training;

/// <summary>
/// The learning rate of each epoch as a function of the epoch and the base rate. A trainer sets
/// <c>optimizer.LearningRate = schedule.RateAt(epoch, baseRate)</c> before each epoch; schedules hold no
/// state, so a run resumed at epoch <c>e</c> gets the rate it would have had.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>
    /// The rate for <paramref name="epoch"/> (0-based) given the rate <paramref name="baseRate"/> of epoch 0.
    /// Throws <see cref="ArgumentOutOfRangeException"/> for a negative epoch or a base rate that is not finite and positive.
    /// </summary>
    public abstract float RateAt(int epoch, float baseRate);

    /// <summary>
    /// This schedule for a run of <paramref name="epochs"/> epochs: itself, unless its length depends on the run
    /// (<see cref="CosineSchedule.OverAllEpochs"/>). <c>DeepNetOptions</c> calls it with its <c>Epochs</c>.
    /// </summary>
    public virtual LearningRateSchedule ForEpochs(int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        return this;
    }

    /// <summary>Checks the arguments of <see cref="RateAt"/>, for derived classes.</summary>
    protected static void CheckArguments(int epoch, float baseRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        Optimizers.HyperParameter.Positive(baseRate, nameof(baseRate));
    }
}
