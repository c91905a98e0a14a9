using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// Step decay, as PyTorch's StepLR: the rate is multiplied by <see cref="Gamma"/> every <see cref="StepEpochs"/> epochs,
/// <c>rate = baseRate * Gamma^floor(epoch / StepEpochs)</c> (the "divide by 10 every few epochs" of Krizhevsky et al. 2012
/// and He et al. 2016).
/// </summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="stepEpochs"/> is at least 1 and <paramref name="gamma"/> in (0, 1].</summary>
    public StepSchedule(int stepEpochs, float gamma)
    {
        StepEpochs = HyperParameter.Positive(stepEpochs, nameof(stepEpochs));
        Gamma = HyperParameter.DecayFactor(gamma, nameof(gamma));
    }

    /// <summary>How many epochs each rate lasts.</summary>
    public int StepEpochs { get; }

    /// <summary>The factor applied at each step.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override float RateAt(int epoch, float baseRate)
    {
        CheckArguments(epoch, baseRate);
        return (float)(baseRate * Math.Pow(Gamma, epoch / StepEpochs));
    }
}
