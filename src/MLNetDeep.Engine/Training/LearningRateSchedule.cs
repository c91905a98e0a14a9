namespace MLNetDeep.Engine.Training;

/// <summary>
/// The learning rate as a function of the position in the run and the base rate. A trainer sets
/// <c>optimizer.LearningRate = schedule.RateAtStep(step, epoch, stepsPerEpoch, baseRate)</c> before every step; a
/// per-epoch schedule (<see cref="RateAt"/>) gives every step of an epoch the epoch's rate. Schedules hold no
/// state, so a run resumed at epoch <c>e</c> gets the rates it would have had.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>
    /// The rate for step <paramref name="step"/> (0-based, counted over the whole run), which belongs to epoch
    /// <paramref name="epoch"/> (0-based), in a run of <paramref name="stepsPerEpoch"/> steps an epoch (0 when that is
    /// not known in advance, as in a streamed run). The default is the epoch's rate, <see cref="RateAt"/>.
    /// </summary>
    public virtual float RateAtStep(long step, int epoch, int stepsPerEpoch, float baseRate)
    {
        CheckStepArguments(step, epoch, stepsPerEpoch, baseRate);
        return RateAt(epoch, baseRate);
    }

    /// <summary>
    /// This schedule for a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps (0 when
    /// not known): <see cref="ForEpochs"/> unless the schedule counts steps (<see cref="OneCycleSchedule"/>). The
    /// trainer calls it as a run starts.
    /// </summary>
    public virtual LearningRateSchedule ForRun(int epochs, int stepsPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepsPerEpoch);
        return ForEpochs(epochs);
    }

    /// <summary>
    /// This schedule after a linear warm-up of <paramref name="steps"/> steps or <paramref name="epochs"/> epochs
    /// (give one of the two): see <see cref="WarmupSchedule"/>.
    /// </summary>
    public WarmupSchedule WithWarmup(int steps = 0, int epochs = 0) => new(this, steps, epochs);

    /// <summary>Checks the arguments of <see cref="RateAtStep"/>, for derived classes.</summary>
    protected static void CheckStepArguments(long step, int epoch, int stepsPerEpoch, float baseRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(stepsPerEpoch);
        CheckArguments(epoch, baseRate);
    }

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
