namespace MLNetDeep.Engine.Training;

/// <summary>
/// A linear warm-up in front of any schedule (Goyal et al. 2017, "Accurate, Large Minibatch SGD", section 2.2): for the
/// first <c>W</c> steps the rate is the wrapped schedule's times <c>(step + 1) / W</c>, rising from <c>1 / W</c> of it
/// to all of it; from step <c>W</c> on it is the wrapped schedule's, at the same step (the warm-up does not shift it).
/// <c>W</c> is <see cref="WarmupSteps"/>, or <see cref="WarmupEpochs"/> times the run's steps per epoch.
/// Made by <see cref="LearningRateSchedule.WithWarmup"/>; with <c>ConstantSchedule</c> it is Keras' and PyTorch's
/// usual "linear warm-up, then constant".
/// </summary>
public sealed class WarmupSchedule : LearningRateSchedule
{
    /// <summary>Wraps <paramref name="inner"/>; exactly one of <paramref name="steps"/> and <paramref name="epochs"/> is above 0, the other 0.</summary>
    public WarmupSchedule(LearningRateSchedule inner, int steps = 0, int epochs = 0)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "The warm-up's steps must be 0 or positive.");
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "The warm-up's epochs must be 0 or positive.");
        if ((steps > 0) == (epochs > 0))
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"Give the warm-up's length once, in steps or in epochs (steps {steps}, epochs {epochs}).");
        WarmupSteps = steps;
        WarmupEpochs = epochs;
    }

    /// <summary>The schedule the warm-up leads into.</summary>
    public LearningRateSchedule Inner { get; }

    /// <summary>The warm-up's length in steps, or 0 when it is given in <see cref="WarmupEpochs"/>.</summary>
    public int WarmupSteps { get; }

    /// <summary>The warm-up's length in epochs, or 0 when it is given in <see cref="WarmupSteps"/>.</summary>
    public int WarmupEpochs { get; }

    /// <inheritdoc/>
    public override LearningRateSchedule ForEpochs(int epochs) => Rewrap(Inner.ForEpochs(epochs));

    /// <inheritdoc/>
    public override LearningRateSchedule ForRun(int epochs, int stepsPerEpoch) => Rewrap(Inner.ForRun(epochs, stepsPerEpoch));

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The warm-up is given in epochs and <paramref name="stepsPerEpoch"/> is 0 (not known).</exception>
    public override float RateAtStep(long step, int epoch, int stepsPerEpoch, float baseRate)
    {
        CheckStepArguments(step, epoch, stepsPerEpoch, baseRate);
        float rate = Inner.RateAtStep(step, epoch, stepsPerEpoch, baseRate);
        long length = WarmupSteps;
        if (WarmupEpochs > 0)
        {
            if (stepsPerEpoch == 0)
                throw new InvalidOperationException($"A warm-up of {WarmupEpochs} epochs needs the number of steps an epoch, which this run does not know in advance (a stream): give the warm-up in steps.");
            length = (long)WarmupEpochs * stepsPerEpoch;
        }
        return step >= length ? rate : (float)(rate * ((step + 1) / (double)length));
    }

    /// <summary>Not defined: a warm-up changes the rate within an epoch. Throws <see cref="InvalidOperationException"/>; ask <see cref="RateAtStep"/>.</summary>
    public override float RateAt(int epoch, float baseRate) =>
        throw new InvalidOperationException("A warm-up changes the rate from step to step, within an epoch: ask for the rate of a step (RateAtStep), as the trainer does.");

    private WarmupSchedule Rewrap(LearningRateSchedule inner) => ReferenceEquals(inner, Inner) ? this : new(inner, WarmupSteps, WarmupEpochs);
}
