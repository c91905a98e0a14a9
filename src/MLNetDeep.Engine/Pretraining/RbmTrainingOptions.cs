namespace MLNetDeep.Engine.Pretraining;

/// <summary>
/// How <see cref="Rbm.Train(float[], RbmTrainingOptions, IProgress{RbmEpochReport}?, CancellationToken, Kernels.ComputeContext)"/>
/// runs contrastive divergence. The defaults follow Hinton (2010), "A Practical Guide to Training
/// Restricted Boltzmann Machines" (UTML TR 2010-003) and the MNIST code of Hinton and Salakhutdinov (2006):
/// CD-1, mini-batches of 100 (§6), learning rate 0.1, momentum 0.5 (§9), L2 weight cost 0.0002 (§10).
/// </summary>
public class RbmTrainingOptions
{
    /// <summary>Passes over the training samples. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>
    /// Gibbs steps k of CD-k (or of each persistent-chain update). Default 1: CD-1, which Hinton (2002)
    /// introduced and which is usually enough for learning features (Hinton 2010, §3.3).
    /// </summary>
    public int CdSteps { get; set; } = 1;

    /// <summary>
    /// The learning rate of the mean-over-batch statistics. Default 0.1, the rate of Hinton and
    /// Salakhutdinov (2006) for binary units; §5 of the guide advises updates about 10⁻³ times the weights.
    /// Gaussian visible units want a rate one or two orders of magnitude smaller (Hinton 2010, §13.2).
    /// </summary>
    public float LearningRate { get; set; } = 0.1f;

    /// <summary>The momentum of the updates, in [0, 1). Default 0.5 (Hinton 2010, §9.1 starts with 0.5).</summary>
    public float Momentum { get; set; } = 0.5f;

    /// <summary>
    /// The L2 weight cost on the weights (not the biases), 0 or more. Default 0.0002, inside the 0.01 to
    /// 0.00001 range of Hinton (2010, §10.1).
    /// </summary>
    public float WeightDecay { get; set; } = 0.0002f;

    /// <summary>Samples per update. Default 100 (Hinton 2010, §6: 10 to 100).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Persistent contrastive divergence (Tieleman 2008): the negative phase continues one Markov chain
    /// per batch row from update to update instead of restarting at the data. Default false (CD-k).
    /// </summary>
    public bool Persistent { get; set; }

    /// <summary>Shuffle the samples before each epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>The seed of the shuffling and of every sampled state. Default 1.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public virtual void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (CdSteps < 1) throw new ArgumentOutOfRangeException(nameof(CdSteps), CdSteps, "CdSteps must be at least 1.");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive and finite.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (!(WeightDecay >= 0) || float.IsInfinity(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be 0 (off) or positive and finite.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
    }

    /// <summary>A copy of these options for one RBM, with its own seed.</summary>
    internal RbmTrainingOptions ForLayer(ulong seed) => new()
    {
        Epochs = Epochs, CdSteps = CdSteps, LearningRate = LearningRate, Momentum = Momentum,
        WeightDecay = WeightDecay, BatchSize = BatchSize, Persistent = Persistent, Shuffle = Shuffle, Seed = seed,
    };
}
