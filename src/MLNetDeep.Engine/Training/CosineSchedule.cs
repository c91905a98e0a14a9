using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter 2017, SGDR, equation 5, with a single period and no restart):
/// <c>rate = MinRate + (baseRate - MinRate) * (1 + cos(pi * epoch / TotalEpochs)) / 2</c> for epochs before
/// <see cref="TotalEpochs"/>, and <see cref="MinRate"/> from then on. With <c>TotalEpochs</c> the length of the run,
/// the last epoch's rate is just above <c>MinRate</c>.
/// </summary>
/// <remarks>
/// An optimizer refuses a rate of 0, so with <see cref="MinRate"/> 0 the schedule must not be asked for an epoch at
/// or past <see cref="TotalEpochs"/>.
/// </remarks>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="totalEpochs"/> is at least 1 and <paramref name="minRate"/> finite and at least 0.</summary>
    public CosineSchedule(int totalEpochs, float minRate = 0f)
    {
        TotalEpochs = HyperParameter.Positive(totalEpochs, nameof(totalEpochs));
        MinRate = HyperParameter.NonNegative(minRate, nameof(minRate));
    }

    /// <summary>
    /// A cosine schedule as long as the run it is given to: <c>DeepNetOptions</c> (through <see cref="ForEpochs"/>)
    /// fills in its <c>Epochs</c>, so the length is not written twice. <paramref name="minRate"/> is finite and at least 0.
    /// </summary>
    public static CosineSchedule OverAllEpochs(float minRate = 0f) => new(minRate);

    private CosineSchedule(float minRate) => MinRate = HyperParameter.NonNegative(minRate, nameof(minRate));

    /// <summary>The length of the half cosine, in epochs; 0 for a schedule made by <see cref="OverAllEpochs"/> and not yet given its run's length.</summary>
    public int TotalEpochs { get; }

    /// <summary>Whether the length is still to come from the run's epochs (<see cref="OverAllEpochs"/>).</summary>
    public bool TakesLengthFromEpochs => TotalEpochs == 0;

    /// <inheritdoc/>
    public override LearningRateSchedule ForEpochs(int epochs) => TakesLengthFromEpochs ? new CosineSchedule(epochs, MinRate) : this;

    /// <summary>The rate the schedule ends at.</summary>
    public float MinRate { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">Also when <paramref name="baseRate"/> is below <see cref="MinRate"/>.</exception>
    public override float RateAt(int epoch, float baseRate)
    {
        CheckArguments(epoch, baseRate);
        if (TakesLengthFromEpochs)
            throw new InvalidOperationException("This cosine schedule takes its length from the run's epochs, which it has not been given: "
                + "use it through DeepNetOptions, or call ForEpochs(epochs) (or new CosineSchedule(epochs, minRate)) for a NetworkTrainer.");
        if (baseRate < MinRate)
            throw new ArgumentOutOfRangeException(nameof(baseRate), baseRate, $"The base rate must be at least the schedule's minimum rate, {MinRate}.");
        if (epoch >= TotalEpochs)
            return MinRate;
        return (float)(MinRate + (baseRate - (double)MinRate) * (1 + Math.Cos(Math.PI * epoch / TotalEpochs)) / 2);
    }
}
