using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Engine.Training;

/// <summary>Exponential decay, as PyTorch's ExponentialLR: <c>rate = baseRate * Gamma^epoch</c>.</summary>
public sealed class ExponentialSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="gamma"/> is in (0, 1].</summary>
    public ExponentialSchedule(float gamma) => Gamma = HyperParameter.DecayFactor(gamma, nameof(gamma));

    /// <summary>The factor applied each epoch.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override float RateAt(int epoch, float baseRate)
    {
        CheckArguments(epoch, baseRate);
        return (float)(baseRate * Math.Pow(Gamma, epoch));
    }
}
