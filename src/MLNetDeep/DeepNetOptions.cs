using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Training;
using MLNetDeep.Training;

namespace MLNetDeep;

/// <summary>
/// Everything a DeepNet trainer can be told: the network (hidden layer sizes and one activation,
/// or a full <see cref="Layers"/> list), its initialisation, regularisation, optimizer and
/// training schedule. The defaults train a sound ReLU network with Adam.
/// </summary>
public sealed partial class DeepNetOptions
{
    /// <summary>The label column: a key (multiclass), Boolean (binary) or Single (regression). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The features column: a known-size vector of Single. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>
    /// The image dimensions [channels, height, width] of a flat features column, so that convolutions and pools
    /// can read it: for a column a transform made flat (Concatenate, NormalizeMinMax after Concatenate), whose
    /// ONNX export then needs no reshaping before ML.NET's own normalizers. The column must have
    /// channels x height x width values. Null (the default) takes the column's own dimensions (LoadFromIdx,
    /// ExtractPixels), or reads it as a vector.
    /// </summary>
    public int[]? ImageShape { get; set; }

    /// <summary>
    /// A column of Single that weighs each row in the loss and its gradient (as ML.NET's trainers'
    /// ExampleWeightColumnName does): a row of weight 2 counts as two, of weight 0 not at all. Weights must be
    /// finite and not negative. Null (the default) weighs every row 1. A validation set must have the column too.
    /// </summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>
    /// Weights of the classes in the loss, for imbalanced classification: <see cref="MLNetDeep.ClassWeights.Balanced"/>
    /// or <see cref="MLNetDeep.ClassWeights.Of"/>(one weight per class). They multiply the example weights. They apply
    /// to the validation loss too (balanced weights are counted on the training rows). Null (the default) is none.
    /// </summary>
    public ClassWeights? ClassWeights { get; set; }

    /// <summary>
    /// Train from the data without holding it: every epoch reads the training IDataView afresh and shuffles its rows
    /// through a pool of <see cref="ShufflePoolSize"/> rows, so memory does not grow with the number of rows; a seed
    /// still fixes the result. Needs the view to give the same rows in the same order on every pass. A validation set
    /// (given to Fit) is held in memory; <see cref="ValidationFraction"/>, <see cref="CheckpointPath"/> and
    /// <see cref="Pretraining"/> are not available. Default false: the rows are read once into memory.
    /// </summary>
    public bool Streaming { get; set; }

    /// <summary>With <see cref="Streaming"/>, how many rows each epoch shuffles among (the pool's memory is this many rows). Default 16384.</summary>
    public int ShufflePoolSize { get; set; } = 16384;

    /// <summary>
    /// With a previous model (<see cref="DeepNetTrainer.Fit(Microsoft.ML.IDataView, NetworkModelParameters)"/>), take its
    /// weights for every layer but the output one, which starts from a fresh draw: fine-tuning a pre-trained network
    /// for another task or class count. Default false: every layer, the output one included, must match and is taken.
    /// </summary>
    public bool ReinitializeOutputLayer { get; set; }

    /// <summary>Sizes of the hidden dense layers, input side first. Ignored when <see cref="Layers"/> is set. Default [256, 128].</summary>
    public int[] HiddenLayers { get; set; } = [256, 128];

    /// <summary>
    /// The full list of hidden layers (dense, dropout, maxout, convolution, pooling...), built with
    /// <see cref="DeepNetLayer"/>; the output layer is added by the trainer. Overrides
    /// <see cref="HiddenLayers"/>, <see cref="Activation"/> and <see cref="Dropout"/>.
    /// </summary>
    public IList<DeepNetLayer>? Layers { get; set; }

    /// <summary>The activation of the hidden layers. Default ReLU.</summary>
    public ActivationKind Activation { get; set; } = ActivationKind.ReLU;

    /// <summary>The slope of Leaky ReLU for negative inputs. Default 0.01.</summary>
    public float LeakyReluAlpha { get; set; } = 0.01f;

    /// <summary>ELU's alpha. Default 1.</summary>
    public float EluAlpha { get; set; } = 1f;

    /// <summary>The number of linear pieces of each Maxout unit. Default 2.</summary>
    public int MaxoutPieces { get; set; } = 2;

    /// <summary>How the weights are drawn. Default Xavier (Glorot uniform).</summary>
    public InitializerKind Initializer { get; set; } = InitializerKind.Xavier;

    /// <summary>The standard deviation of <see cref="InitializerKind.Normal"/> or the limit of <see cref="InitializerKind.Uniform"/>. Default 1 and 0.05.</summary>
    public float? InitializerScale { get; set; }

    /// <summary>
    /// Greedy layer-wise pre-training before back-propagation; null (the default) is off. When set, the trainer
    /// fits a deep belief network to the training features, one RBM per dense hidden layer with that layer's
    /// units, in order (the first on the features, each one above on the hidden probabilities of the one
    /// below), copies each RBM's weights and hidden biases into its dense layer (the output layer keeps
    /// <see cref="Initializer"/>'s draw), then fine-tunes the whole network as usual. The options say how each
    /// RBM is trained by contrastive divergence: <see cref="RbmTrainingOptions.Epochs"/> per layer,
    /// <see cref="RbmTrainingOptions.CdSteps"/> (the k of CD-k), <see cref="RbmTrainingOptions.LearningRate"/>,
    /// momentum, weight cost, batch size, persistent chains, seed, and
    /// <see cref="PretrainingOptions.GaussianVisible"/> for standardised real-valued features (otherwise the
    /// features should lie in [0, 1], e.g. after NormalizeMinMax). RBMs learn sigmoid units, so the hidden
    /// layers should use <see cref="ActivationKind.Sigmoid"/>. The layers may be dense and dropout only: at
    /// least one dense layer, and no maxout or other layer an RBM cannot initialise. Pre-training reads every
    /// training row, including those <see cref="ValidationFraction"/> holds out (it does not read the labels).
    /// </summary>
    public PretrainingOptions? Pretraining { get; set; }

    /// <summary>Receives a report after every epoch of every RBM of <see cref="Pretraining"/> (also written to the MLContext log).</summary>
    public IProgress<RbmEpochReport>? PretrainingProgress { get; set; }

    /// <summary>The dropout rate after each hidden layer, in [0, 1). Default 0 (none).</summary>
    public float Dropout { get; set; }

    /// <summary>The optimizer. Default Adam.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>The (initial) learning rate. Default 0.001.</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>
    /// The learning rate of each step, set before every step (a per-epoch schedule gives every step of an epoch the
    /// epoch's rate); null keeps it constant. <c>CosineSchedule.OverAllEpochs()</c> and <c>OneCycleSchedule</c>
    /// take their length from <see cref="Epochs"/>; <c>schedule.WithWarmup(...)</c> adds a linear warm-up to any of them.
    /// </summary>
    public LearningRateSchedule? LearningRateSchedule { get; set; }

    /// <summary>
    /// Passes over the training data. Null (the default) scales them to the rows: enough epochs for about 3,000
    /// gradient steps, at least 10 and at most 300 (10 for 60,000 rows in batches of 64, 300 for a few hundred rows);
    /// for a binary classification about 200 steps (20 epochs for 640 rows), as the tabular suite supports, except
    /// with <see cref="ForTabular"/>, which keeps 3,000 (1,000 for a binary task).
    /// </summary>
    public int? Epochs { get; set; }

    /// <summary>Samples per gradient step. Default 64; null scales it to the rows: rows / 32 rounded to a power of two, from 16 to 256.</summary>
    public int? BatchSize { get; set; } = 64;

    /// <summary>
    /// The fraction of the training rows held out to validate each epoch, in [0, 1), when Fit is given no validation
    /// set (which takes its place). Classification holds each class out in its share of the rows (a stratified split). Default 0.
    /// </summary>
    public float ValidationFraction { get; set; }

    /// <summary>
    /// Stop after this many epochs without a better validation loss, keeping the best weights; 0 is off. Needs validation
    /// data: a validation set given to <see cref="DeepNetTrainer.Fit(Microsoft.ML.IDataView, Microsoft.ML.IDataView)"/>, or <see cref="ValidationFraction"/>.
    /// </summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>L2 weight decay (coupled; AdamW decouples it). Default 0.</summary>
    public float L2 { get; set; }

    /// <summary>
    /// Adam's, AdamW's and NAdam's decay of the running mean of gradients, in [0, 1); null (the default) keeps
    /// their 0.9. The other optimizers do not read it, and refuse it.
    /// </summary>
    public float? Beta1 { get; set; }

    /// <summary>
    /// Adam's, AdamW's and NAdam's decay of the running mean of squared gradients, in [0, 1); null (the default)
    /// keeps their 0.999. The other optimizers do not read it, and refuse it.
    /// </summary>
    public float? Beta2 { get; set; }

    /// <summary>
    /// The term that keeps the step finite where the gradient's running scale is near 0, greater than 0; read by
    /// Adagrad (default 1e-10), RMSProp (1e-8), AdaDelta (1e-6, inside its roots), Adam, AdamW and NAdam (1e-8).
    /// Null (the default) keeps the optimizer's own; Sgd, Momentum and Nesterov refuse it.
    /// </summary>
    public float? Epsilon { get; set; }

    /// <summary>
    /// The momentum coefficient of <see cref="OptimizerKind.Momentum"/> and <see cref="OptimizerKind.Nesterov"/>
    /// (<c>Mu</c>), in [0, 1); null (the default) keeps their 0.9. The other optimizers refuse it.
    /// </summary>
    public float? Momentum { get; set; }

    /// <summary>
    /// The decay of the running mean of squared gradients of <see cref="OptimizerKind.RmsProp"/> (default 0.9) and of
    /// both running means of <see cref="OptimizerKind.AdaDelta"/> (default 0.95), in [0, 1); null keeps the
    /// optimizer's own. The other optimizers refuse it.
    /// </summary>
    public float? Rho { get; set; }

    /// <summary>
    /// AdamW's decoupled weight decay (<c>w -= lr * WeightDecay * w</c> each step, weights only), finite and at
    /// least 0; 0 turns it off. Null (the default) keeps what AdamW did before it could be set: <see cref="L2"/>
    /// when that is above 0, else 0.01 (PyTorch's default). Only AdamW reads it; every other optimizer refuses it
    /// (their weight decay is <see cref="L2"/>, coupled), and AdamW refuses it together with an <see cref="L2"/> above 0.
    /// </summary>
    public float? WeightDecay { get; set; }

    /// <summary>
    /// Label smoothing of the classification losses (Szegedy et al. 2016), in [0, 1): the multiclass softmax
    /// cross-entropy is taken against <c>(1 - LabelSmoothing)</c> on the label plus <c>LabelSmoothing / classes</c> on
    /// every class, as PyTorch's <c>CrossEntropyLoss(label_smoothing)</c> and Keras' <c>CategoricalCrossentropy(label_smoothing)</c>
    /// do; the binary sigmoid cross-entropy against <c>t (1 - LabelSmoothing) + LabelSmoothing / 2</c> for a label t of 0 or 1,
    /// as RealMLP (Holzmüller et al. 2024) and Keras' <c>BinaryCrossentropy(label_smoothing)</c> do. The training and
    /// validation losses reported (and early stopping) are the smoothed ones; predictions do not change. A binary model
    /// records its smoothing with its loss (in the model file and its checkpoints); a multiclass model file does not
    /// change. Default 0 (none); 0.1 is the usual choice. Classification only: a regression refuses it.
    /// </summary>
    public float LabelSmoothing { get; set; }

    /// <summary>
    /// Random image augmentation of every training batch (shifts, horizontal flips, random erasing; see
    /// <see cref="ImageAugmentation"/>), drawn from <see cref="Seed"/>; never at validation or prediction. The
    /// features column must have image dimensions [C, H, W] (ExtractPixels', LoadFromIdx's, or <see cref="ImageShape"/>). Null (the default) is off.
    /// </summary>
    public ImageAugmentation? Augmentation { get; set; }

    /// <summary>Max-norm constraint on each unit's incoming weights; 0 is off.</summary>
    public float MaxNorm { get; set; }

    /// <summary>Clip the global gradient norm to this; 0 is off.</summary>
    public float GradientClipNorm { get; set; }

    /// <summary>The seed of initialisation, shuffling, dropout and the validation split. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Threads for the matrix kernels; null uses every core. Results do not depend on it.</summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>Receives a report after every epoch (also written to the MLContext log).</summary>
    public IProgress<EpochReport>? Progress { get; set; }

    /// <summary>Cancels training between steps.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// What to do when the loss becomes NaN or infinite: throw a <see cref="TrainingDivergedException"/>
    /// (the default), or <see cref="DivergencePolicy.RestoreBest"/>: keep the best weights so far (of the best
    /// validation epoch with early stopping, else of the last finite epoch), log a warning and return the model;
    /// <see cref="DeepNetTrainer.LastTrainingResult"/> then says where it diverged.
    /// </summary>
    public DivergencePolicy OnDivergence { get; set; } = DivergencePolicy.Throw;

    /// <summary>
    /// A file where training saves its whole state after each epoch (atomically). When it exists as
    /// <see cref="DeepNetTrainer.Fit(Microsoft.ML.IDataView)"/> starts, training resumes from it and ends with the weights an
    /// uninterrupted run would have, bit for bit: an interrupted or cancelled Fit loses at most one epoch.
    /// The data and options must be the same (<see cref="Epochs"/> may grow); a checkpoint of another run
    /// is refused. Delete the file to start afresh. Its folder must exist. Null (the default) keeps no checkpoint.
    /// </summary>
    public string? CheckpointPath { get; set; }

    // ---- Learned scaling and the tabular recipe ----

    /// <summary>
    /// How the network scales its features, fitted on the training rows and kept in the model (a FeatureScaling layer
    /// first), so that raw, min-max or mean-variance scaled columns train alike. Null (the default) is
    /// <see cref="MLNetDeep.InputScaling.RobustClipped"/> for a vector of features and <see cref="MLNetDeep.InputScaling.Off"/> for
    /// image features (with dimensions), with <see cref="Pretraining"/>, and when continuing a model that has no such
    /// layer. Continuing a model that has one keeps its centres and scales. With <see cref="Streaming"/>, fitted on
    /// the first 65,536 rows.
    /// </summary>
    public InputScaling? InputScaling { get; set; }

    /// <summary>
    /// For regression: train on the label standardised (minus its mean, over its standard deviation, both from the
    /// training rows), the network ending in a fixed FeatureScaling layer that maps its output back, so predictions
    /// come in the label's units; the losses reported per epoch are in the label's units too (squared), as ML.NET's evaluator finds them.
    /// Continuing a model keeps its label mean and deviation. Default true; ignored for classification.
    /// </summary>
    public bool StandardizeRegressionTargets { get; set; } = true;

    /// <summary>
    /// How many networks to train and average (a deep ensemble, Lakshminarayanan et al. 2017; TabM, Gorishniy et al.
    /// 2024, averages K members the same way): each member has the options' architecture and is trained alone from its
    /// own seed (member k from Seed + 7919 (k - 1), so the first is the network EnsembleSize 1 trains), on the same rows, scaling,
    /// validation and schedule; the model is one network whose output is the mean of the members' (an Ensemble layer),
    /// which saves, loads and exports to ONNX as any other. Training and prediction take K times as long. With
    /// <see cref="CheckpointPath"/>, member k (from 2) keeps its checkpoint in "CheckpointPath.memberk", so an
    /// interrupted Fit resumes at the member and epoch it reached; <see cref="DeepNetTrainer.LastTrainingResult"/> is the
    /// first member's. An ensemble model cannot be continued (warm start). Default 1, at most 64.
    /// </summary>
    public int EnsembleSize { get; set; } = 1;

    /// <summary>
    /// The tabular recipe, chosen on the tabular benchmark suite (bench/MLNetDeep.Bench.Tabular, docs/BENCHMARKS.md):
    /// robust scaling with smooth clipping of the inputs (RealMLP, Holzmüller et al. 2024), standardised regression
    /// targets, periodic embeddings of the features (<see cref="PeriodicEmbeddingSigma"/> 0.1, taken as 1 by a
    /// regression), two ReLU layers of 256 and 128 units with dropout 0.2, AdamW at 0.002 with decoupled weight decay 0.3
    /// (<see cref="WeightDecay"/>; set it to null before choosing another optimizer, which refuses it) and a cosine
    /// schedule over the epochs, label smoothing 0.1 for classification (binary and multiclass; a regression trained
    /// with these options leaves it out, and refuses any other value set here), batches of 64 and epochs scaled to
    /// the rows (about 3,000 steps; 1,000 for a binary task). On the suite, for the first recipe, three layers, wider
    /// layers, a residual form, ELU, a held-out fifth of the rows to keep the best epoch, fewer steps and ensembles of
    /// five each did worse, or no better for their time, on these small tables; dropout, AdamW's decay and label
    /// smoothing helped together (sweeps 5 and 6) where each alone did little, and the periodic embeddings most (sweeps 7
    /// and 8). A binary task, which overfit those steps, holds a fifth of the training rows out and keeps the weights of
    /// the epoch with the lowest loss on them, with dropout 0.3 and about 1,000 steps (sweeps 9 to 11), when
    /// <see cref="ValidationFraction"/> and <see cref="EarlyStoppingPatience"/> are left at 0 (and <see cref="Dropout"/>
    /// at 0.2, or <see cref="Layers"/> unset); a validation set given to Fit takes the held-out rows' place; a stream or
    /// fewer than 10 rows hold none out.
    /// Set the label and features column names on the result if they are not "Label" and "Features".
    /// </summary>
    public static DeepNetOptions ForTabular() => TabularDefaults.Recipe();

    /// <summary>
    /// Periodic numerical embeddings before the hidden layers (RealMLP's PBLD, Holzmüller et al. 2024; the layer of
    /// <see cref="DeepNetLayer.PeriodicEmbedding"/>): each feature becomes itself and 3 learnt combinations of 16 cosines
    /// of it, of its own trained frequencies, drawn with this standard deviation, and phases. Null (the default) adds
    /// none. For a vector of features (not images), without <see cref="Pretraining"/>; before <see cref="Layers"/> too
    /// when they are given. <see cref="ForTabular"/> sets 0.1, which a regression trained with those options takes as 1.
    /// </summary>
    public float? PeriodicEmbeddingSigma { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelColumnName)) throw new ArgumentOutOfRangeException(nameof(LabelColumnName), "The label column name must not be empty.");
        if (string.IsNullOrWhiteSpace(FeatureColumnName)) throw new ArgumentOutOfRangeException(nameof(FeatureColumnName), "The features column name must not be empty.");
        if (ImageShape is not null && (ImageShape.Length != 3 || ImageShape.Any(d => d < 1)))
            throw new ArgumentOutOfRangeException(nameof(ImageShape), $"ImageShape must be three positive dimensions [channels, height, width]; found [{string.Join(", ", ImageShape)}].");
        if (Layers is null)
        {
            if (HiddenLayers is null) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), "HiddenLayers must not be null (use [] for none).");
            foreach (int size in HiddenLayers)
                if (size < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), size, "Every hidden layer needs at least one unit.");
        }
        else if (Layers.Any(l => l is null)) throw new ArgumentOutOfRangeException(nameof(Layers), "Layers must not contain null.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (!(L2 >= 0) || !float.IsFinite(L2)) throw new ArgumentOutOfRangeException(nameof(L2), L2, "L2 must be zero or positive.");
        if (!(LeakyReluAlpha >= 0 && LeakyReluAlpha < 1)) throw new ArgumentOutOfRangeException(nameof(LeakyReluAlpha), LeakyReluAlpha, "LeakyReluAlpha must be in [0, 1).");
        if (!(EluAlpha > 0) || !float.IsFinite(EluAlpha)) throw new ArgumentOutOfRangeException(nameof(EluAlpha), EluAlpha, "EluAlpha must be positive.");
        if (MaxoutPieces < 2) throw new ArgumentOutOfRangeException(nameof(MaxoutPieces), MaxoutPieces, "MaxoutPieces must be at least 2.");
        if (NumberOfThreads is < 1) throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "NumberOfThreads must be at least 1 (or null for every core).");
        if (ExampleWeightColumnName is not null && string.IsNullOrWhiteSpace(ExampleWeightColumnName))
            throw new ArgumentOutOfRangeException(nameof(ExampleWeightColumnName), "The weight column name must not be empty (null for no weights).");
        if (ShufflePoolSize < 1) throw new ArgumentOutOfRangeException(nameof(ShufflePoolSize), ShufflePoolSize, "ShufflePoolSize must be at least 1.");
        if (Streaming)
        {
            if (ValidationFraction > 0)
                throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "Streaming holds no rows out: give Fit a validation set instead of ValidationFraction.");
            if (CheckpointPath is not null)
                throw new ArgumentOutOfRangeException(nameof(CheckpointPath), CheckpointPath, "A streamed run keeps no checkpoint: unset CheckpointPath or Streaming.");
            if (Pretraining is not null)
                throw new ArgumentOutOfRangeException(nameof(Pretraining), "Pre-training reads the training rows into memory: unset Pretraining or Streaming.");
        }
        ValidateTraining();
        ToTrainerOptions().Validate();
        if (EnsembleSize is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(EnsembleSize), EnsembleSize, "EnsembleSize must be from 1 (one network) to 64.");
        if (InputScaling is { } scaling && !Enum.IsDefined(scaling)) throw new ArgumentOutOfRangeException(nameof(InputScaling), scaling, "InputScaling must be Off, Standardize or RobustClipped (or null for the default).");
        if (InputScaling is not null and not MLNetDeep.InputScaling.Off && Pretraining is not null)
            throw new ArgumentOutOfRangeException(nameof(InputScaling), InputScaling, "Pre-training reads the features unscaled, so the network must too: set InputScaling to Off (or null) with Pretraining.");
        if (Pretraining is not null)
        {
            DensePretraining.Validate(Pretraining);
            DensePretraining.HiddenSizes(this);
        }
    }

    internal TrainerOptions ToTrainerOptions(long rows = 1, int targetSteps = TabularDefaults.TargetSteps)
    {
        int batchSize = BatchSize ?? TabularDefaults.BatchSize(rows);
        int epochs = Epochs ?? TabularDefaults.Epochs(rows, batchSize, targetSteps);
        return ToTrainerOptions(epochs, batchSize);
    }

    private TrainerOptions ToTrainerOptions(int epochs, int batchSize) => new()
    {
        Epochs = epochs,
        BatchSize = batchSize,
        Seed = (ulong)(uint)Seed,
        ValidationFraction = ValidationFraction,
        EarlyStoppingPatience = EarlyStoppingPatience,
        GradientClipNorm = GradientClipNorm,
        MaxNorm = MaxNorm,
        Schedule = epochs > 0 ? LearningRateSchedule?.ForEpochs(epochs) : LearningRateSchedule,
        Threads = NumberOfThreads ?? 0,
        ShufflePoolSize = ShufflePoolSize,
        OnDivergence = OnDivergence,
        CheckpointPath = CheckpointPath,
        Augmentation = Augmentation,
    };

    /// <summary>Checks the optimizer's own settings, label smoothing and augmentation, naming the option at fault.</summary>
    private void ValidateTraining()
    {
        OptimizerSettings.Create(this);
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "LabelSmoothing must be in [0, 1).");
        Augmentation?.Validate();
    }
}
