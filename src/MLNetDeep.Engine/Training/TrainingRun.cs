using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// What one <see cref="NetworkTrainer.Fit"/> carries from epoch to epoch, besides the network and the
/// optimizer: the sample order, the shuffling generator, early-stopping state and history. A checkpoint
/// saves exactly this, so a resumed run continues where the interrupted one stood.
/// </summary>
internal sealed class TrainingRun
{
    private TrainingRun(int[] trainIndices, int[] validIndices, Rng shuffleRng, Rng? augmentationRng)
    {
        TrainIndices = trainIndices;
        ValidIndices = validIndices;
        ShuffleRng = shuffleRng;
        AugmentationRng = augmentationRng;
    }

    /// <summary>The training samples, in the order of the last epoch (shuffled in place each epoch).</summary>
    public int[] TrainIndices { get; }

    /// <summary>The validation samples: of the validation set, or held out of the training set.</summary>
    public int[] ValidIndices { get; }

    /// <summary>Draws each epoch's shuffle.</summary>
    public Rng ShuffleRng { get; }

    /// <summary>Draws each training image's augmentation, when the options ask for it; null otherwise.</summary>
    public Rng? AugmentationRng { get; }

    public List<EpochReport> History { get; } = [];

    /// <summary>Epochs finished, with finite loss and weights.</summary>
    public int CompletedEpochs { get; set; }

    /// <summary>Early stopping ran out of patience: no more epochs, even if more were asked for.</summary>
    public bool PatienceExhausted { get; set; }

    public float BestLoss { get; set; } = float.PositiveInfinity;

    public int BestEpoch { get; set; }

    public int SinceBest { get; set; }

    /// <summary>The weights of the best validation epoch, when early stopping tracks one.</summary>
    public float[][]? Best { get; set; }

    /// <summary>
    /// The sample order and the generators of a new run: the validation split (when the options ask for one)
    /// is drawn first from the seed, then the shuffling generator, then (with augmentation) the augmentation's,
    /// so that turning augmentation on changes neither the split nor the shuffle.
    /// With <paramref name="strata"/> (each training sample's class), the split is stratified.
    /// </summary>
    public static TrainingRun Start(TrainerOptions options, int trainingCount, int? validationCount, int[]? strata = null)
    {
        var rng = new Rng(options.Seed);
        int[] trainIndices = Enumerable.Range(0, trainingCount).ToArray();
        int[] validIndices = [];
        if (validationCount is int count) validIndices = Enumerable.Range(0, count).ToArray();
        else if (options.ValidationFraction > 0)
        {
            if (trainingCount < 2)
                throw new ArgumentException($"ValidationFraction {options.ValidationFraction} holds samples out of the training set, which needs at least 2 samples for that; it has {trainingCount}.", "training");
            rng.Fork().Shuffle(trainIndices);
            int held = (int)Math.Round(trainingCount * (double)options.ValidationFraction);
            held = Math.Clamp(held, 1, trainingCount - 1);
            if (strata is not null) (trainIndices, validIndices) = StratifiedSplit.HoldOut(trainIndices, strata, held);
            else
            {
                validIndices = trainIndices[^held..];
                trainIndices = trainIndices[..^held];
            }
        }
        var shuffleRng = rng.Fork();
        return new TrainingRun(trainIndices, validIndices, shuffleRng, options.Augmentation is null ? null : rng.Fork());
    }
}
