using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// The one-cycle policy (Smith 2018, "A disciplined approach to neural network hyper-parameters"; Smith and Topin 2019)
/// in the shape of PyTorch's <c>OneCycleLR</c> with its defaults: the base rate is the cycle's maximum; the rate starts
/// at <c>baseRate / DivFactor</c>, rises to <c>baseRate</c> over the first <see cref="WarmupFraction"/> of the steps and
/// falls to <c>baseRate / DivFactor / FinalDivFactor</c> at the last step, each phase a half cosine:
/// <c>rate = end + (start - end) * (1 + cos(pi * p)) / 2</c>, with <c>p</c> the fraction of the phase gone. As in
/// PyTorch, the first phase ends at step <c>WarmupFraction * TotalSteps - 1</c> and the second at <c>TotalSteps - 1</c>;
/// later steps keep the final rate. Defaults (PyTorch's): WarmupFraction 0.3 (<c>pct_start</c>), DivFactor 25,
/// FinalDivFactor 1e4.
/// </summary>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    /// <summary>
    /// Creates the schedule. <paramref name="totalSteps"/> 0 (the default) takes the length from the run (its epochs
    /// times its steps per epoch, see <see cref="ForRun"/>); <paramref name="warmupFraction"/> is in (0, 1),
    /// <paramref name="divFactor"/> and <paramref name="finalDivFactor"/> are finite and at least 1.
    /// </summary>
    public OneCycleSchedule(long totalSteps = 0, float warmupFraction = 0.3f, float divFactor = 25f, float finalDivFactor = 1e4f)
    {
        if (totalSteps < 0) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be 0 (the run's length) or positive.");
        if (!(warmupFraction > 0 && warmupFraction < 1)) throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "warmupFraction must be in (0, 1).");
        if (!(divFactor >= 1) || !float.IsFinite(divFactor)) throw new ArgumentOutOfRangeException(nameof(divFactor), divFactor, "divFactor must be finite and at least 1.");
        if (!(finalDivFactor >= 1) || !float.IsFinite(finalDivFactor)) throw new ArgumentOutOfRangeException(nameof(finalDivFactor), finalDivFactor, "finalDivFactor must be finite and at least 1.");
        TotalSteps = totalSteps;
        WarmupFraction = warmupFraction;
        DivFactor = divFactor;
        FinalDivFactor = finalDivFactor;
    }

    /// <summary>The cycle's length in steps; 0 until the run gives it (<see cref="ForRun"/>).</summary>
    public long TotalSteps { get; }

    /// <summary>The share of the steps spent rising to the maximum (PyTorch's <c>pct_start</c>).</summary>
    public float WarmupFraction { get; }

    /// <summary>The maximum (the base rate) over the starting rate.</summary>
    public float DivFactor { get; }

    /// <summary>The starting rate over the final one.</summary>
    public float FinalDivFactor { get; }

    /// <inheritdoc/>
    public override LearningRateSchedule ForRun(int epochs, int stepsPerEpoch)
    {
        HyperParameter.Positive(epochs, nameof(epochs));
        ArgumentOutOfRangeException.ThrowIfNegative(stepsPerEpoch);
        if (TotalSteps > 0) return this;
        if (stepsPerEpoch == 0)
            throw new InvalidOperationException("A one-cycle schedule that takes its length from the run needs the number of steps an epoch, which this run does not know in advance (a stream): give it totalSteps.");
        return new OneCycleSchedule((long)epochs * stepsPerEpoch, WarmupFraction, DivFactor, FinalDivFactor);
    }

    /// <inheritdoc/>
    public override float RateAtStep(long step, int epoch, int stepsPerEpoch, float baseRate)
    {
        CheckStepArguments(step, epoch, stepsPerEpoch, baseRate);
        if (TotalSteps == 0)
            throw new InvalidOperationException("This one-cycle schedule takes its length from the run, which it has not been given: call ForRun(epochs, stepsPerEpoch), or give it totalSteps.");
        double max = baseRate, initial = max / DivFactor, final = initial / FinalDivFactor;
        double warmupEnd = WarmupFraction * (double)TotalSteps - 1, end = TotalSteps - 1;
        if (step >= end) return (float)final;
        if (step <= warmupEnd) return (float)HalfCosine(initial, max, warmupEnd <= 0 ? 1 : step / warmupEnd);
        return (float)HalfCosine(max, final, (step - warmupEnd) / (end - warmupEnd));
    }

    /// <summary>Not defined: the rate changes within an epoch. Throws <see cref="InvalidOperationException"/>; ask <see cref="RateAtStep"/>.</summary>
    public override float RateAt(int epoch, float baseRate) =>
        throw new InvalidOperationException("A one-cycle schedule changes the rate from step to step, within an epoch: ask for the rate of a step (RateAtStep), as the trainer does.");

    private static double HalfCosine(double start, double end, double fraction) => end + (start - end) * (1 + Math.Cos(Math.PI * fraction)) / 2;
}
