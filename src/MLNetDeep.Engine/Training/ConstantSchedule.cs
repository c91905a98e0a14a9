namespace MLNetDeep.Engine.Training;

/// <summary>The base rate at every epoch.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float RateAt(int epoch, float baseRate)
    {
        CheckArguments(epoch, baseRate);
        return baseRate;
    }
}
