namespace MLNetDeep.Engine.Training;

/// <summary>How <see cref="NetworkTrainer"/> runs: epochs, batches, validation, early stopping, regularisation.</summary>
public sealed class TrainerOptions
{
    /// <summary>The number of passes over the training samples. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Samples per gradient step. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>The seed of shuffling and of the validation split. Default 1.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Shuffle the training samples before each epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// The fraction of the training samples held out for validation when no validation set is
    /// given, in [0, 1). Default 0.
    /// </summary>
    public float ValidationFraction { get; set; }

    /// <summary>
    /// Hold <see cref="ValidationFraction"/> out class by class, each class in its share of the training set
    /// (the target of each sample is its class: for classification losses). Default false: a plain random split.
    /// </summary>
    public bool StratifyValidationSplit { get; set; }

    /// <summary>
    /// Stop when the validation loss has not improved for this many epochs and keep the best
    /// weights; 0 turns early stopping off. Needs validation data. Default 0.
    /// </summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Rescale all gradients together when their global L2 norm exceeds this; 0 is off. Default 0.</summary>
    public float GradientClipNorm { get; set; }

    /// <summary>After each step, rescale each unit's incoming weights to L2 norm at most this; 0 is off. Default 0.</summary>
    public float MaxNorm { get; set; }

    /// <summary>The learning rate per epoch, from the optimizer's initial rate; null keeps it constant.</summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>
    /// How many samples a streamed epoch (<see cref="NetworkTrainer.FitStream"/>)
    /// shuffles among: the pool's memory is this many samples. Larger pools shuffle better. Default 16384.
    /// </summary>
    public int ShufflePoolSize { get; set; } = 16384;

    /// <summary>Threads for the matrix kernels; 0 means all cores. Results are bit-identical whatever the count.</summary>
    public int Threads { get; set; }

    /// <summary>The kernels' threads and GEMM path, when given; otherwise <see cref="Threads"/> decides. For tests and measurements.</summary>
    public Kernels.ComputeContext? Compute { get; set; }

    /// <summary>The context training runs with: <see cref="Compute"/>, or one of <see cref="Threads"/> threads.</summary>
    internal Kernels.ComputeContext ResolveCompute() => Compute ?? Kernels.ComputeContext.Create(Threads);

    /// <summary>What to do when the loss or a weight becomes NaN or infinite. Default <see cref="DivergencePolicy.Throw"/>.</summary>
    public DivergencePolicy OnDivergence { get; set; } = DivergencePolicy.Throw;

    /// <summary>
    /// A file that holds the whole state of the run after each epoch (weights, optimizer state, every
    /// random generator, the epoch, early-stopping state and history), written atomically. When the file
    /// exists as training starts, the run resumes from it and finishes bit-identical to a run never
    /// interrupted. It must belong to the same run: same architecture, optimizer, data sizes, seed, batch
    /// size, shuffling and validation split (<see cref="Epochs"/> may grow). Its folder must exist. Null (the
    /// default) keeps no checkpoint.
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>
    /// Random changes to every training image (shifts, flips, erasing), drawn from <see cref="Seed"/> with a generator
    /// of the run's own that checkpoints save; validation never sees them. Needs samples of shape [C, H, W]. Null (the default) is off.
    /// </summary>
    public ImageAugmentation? Augmentation { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in [0, 1).");
        if (EarlyStoppingPatience < 0) throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "EarlyStoppingPatience must be 0 (off) or positive.");
        if (!(GradientClipNorm >= 0) || float.IsInfinity(GradientClipNorm)) throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "GradientClipNorm must be 0 (off) or positive and finite.");
        if (!(MaxNorm >= 0) || float.IsInfinity(MaxNorm)) throw new ArgumentOutOfRangeException(nameof(MaxNorm), MaxNorm, "MaxNorm must be 0 (off) or positive and finite.");
        if (ShufflePoolSize < 1) throw new ArgumentOutOfRangeException(nameof(ShufflePoolSize), ShufflePoolSize, "ShufflePoolSize must be at least 1.");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be 0 (all cores) or positive.");
        if (!Enum.IsDefined(OnDivergence)) throw new ArgumentOutOfRangeException(nameof(OnDivergence), OnDivergence, "OnDivergence must be Throw or RestoreBest.");
        Augmentation?.Validate();
        if (CheckpointPath is not null)
        {
            if (string.IsNullOrWhiteSpace(CheckpointPath)) throw new ArgumentOutOfRangeException(nameof(CheckpointPath), "CheckpointPath must be a file path, or null for no checkpoint.");
            string? folder = Path.GetDirectoryName(Path.GetFullPath(CheckpointPath));
            if (folder is null || !Directory.Exists(folder))
                throw new ArgumentOutOfRangeException(nameof(CheckpointPath), CheckpointPath, $"CheckpointPath's folder '{folder}' does not exist.");
        }
    }
}
