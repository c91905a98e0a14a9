namespace MLNetDeep.Engine.Pretraining;

/// <summary>
/// How <see cref="DeepBeliefNetwork"/> pre-trains its stack: every RBM is trained with these options
/// (<see cref="RbmTrainingOptions.Epochs"/> epochs per layer), one after the other, each from its own
/// seed derived from <see cref="RbmTrainingOptions.Seed"/>.
/// </summary>
public sealed class PretrainingOptions : RbmTrainingOptions
{
    /// <summary>
    /// The first RBM has unit-variance Gaussian visible units, for standardised real-valued inputs
    /// (zero mean, unit variance per feature; Hinton 2010, §13.2); otherwise Bernoulli visible units
    /// for inputs in [0, 1]. The upper RBMs are always Bernoulli-Bernoulli. Default false.
    /// </summary>
    public bool GaussianVisible { get; set; }
}
