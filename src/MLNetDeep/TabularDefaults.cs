using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;

namespace MLNetDeep;

/// <summary>
/// What DeepNet scales to the size of the data when the options leave it open (null), and the tabular recipe
/// (<see cref="DeepNetOptions.ForTabular"/>). A fixed number of epochs is too few steps for a few hundred rows and
/// needlessly many for a million; a fixed number of steps, bounded, suits both.
/// </summary>
internal static class TabularDefaults
{
    /// <summary>The gradient steps the epochs are scaled to give.</summary>
    public const int TargetSteps = 3000;

    /// <summary>
    /// The steps of a binary classification on the plain defaults: on the suite's four binary tables, 300 steps instead of
    /// 3,000 were better on three (Ionosphere, Pima by 4.2 points, BreastCancer) and a row worse on Sonar (sweep 7,
    /// docs/BENCHMARKS.md); the plain defaults have no regularisation, and overfit a binary label in 3,000. 200 steps
    /// took Pima from 0.761 to 0.769 (177 rows wrong of 768, SDCA's 178), BreastCancer the same to a row and Ionosphere a
    /// row worse, Sonar the same (sweeps 9 and 10; 150 and 250 were worse on Pima). Multiclass tables lost much with fewer
    /// steps (Vowel 0.899 against 0.961), and the regressions (sweep 3), so they keep 3,000.
    /// </summary>
    public const int BinaryTargetSteps = 200;

    /// <summary>
    /// The steps the epochs are scaled to for <paramref name="kind"/>: the recipe's (<see cref="DeepNetOptions.RecipeTargetSteps"/>),
    /// <see cref="RecipeBinaryTargetSteps"/> for its binary task, or the task's on other options.
    /// </summary>
    public static int TargetStepsFor(DeepNetOptions options, NetworkPredictionKind kind)
    {
        bool binary = kind == NetworkPredictionKind.BinaryClassification;
        if (options.RecipeTargetSteps is not { } recipe) return binary ? BinaryTargetSteps : TargetSteps;
        return binary && options.RecipeKeepsBestBinaryEpoch ? RecipeBinaryTargetSteps : recipe;
    }

    /// <summary>
    /// The recipe's steps for a binary task, which keeps its best epoch of a held-out fifth: 1,000 gave the same
    /// accuracies as 3,000 on Sonar (300 epochs either way), Pima and BreastCancer, a row better on Ionosphere, in a
    /// third of the time (sweep 11).
    /// </summary>
    public const int RecipeBinaryTargetSteps = 1000;

    public const int MinEpochs = 10, MaxEpochs = 300;

    /// <summary>rows / 32 rounded down to a power of two, from 16 to 256: about 32 steps an epoch until the batches reach 256.</summary>
    public static int BatchSize(long rows)
    {
        long target = Math.Clamp(rows / 32, 16, 256);
        return (int)(1L << (63 - (int)long.LeadingZeroCount(target)));
    }

    /// <summary>
    /// The frequencies' deviation of the recipe's periodic embeddings for a regression: 1 gave both regressions of the
    /// suite lower errors than 0.1 (sweeps 7 and 8, docs/BENCHMARKS.md), which ranked better on the classification tables.
    /// </summary>
    public const float RegressionEmbeddingSigma = 1f;

    /// <summary>The periodic embeddings' deviation the options ask for, null for none; a regression takes the recipe's own as <see cref="RegressionEmbeddingSigma"/>.</summary>
    public static float? EmbeddingSigma(DeepNetOptions options, bool regression) =>
        regression && options.RecipeEmbeddingSigma is { } recipe && options.PeriodicEmbeddingSigma == recipe ? RegressionEmbeddingSigma : options.PeriodicEmbeddingSigma;

    /// <summary>
    /// The share of a binary task's rows the recipe holds out to keep the weights of its best epoch (the lowest loss on
    /// them, over the whole schedule), and its dropout for a binary task: together (with 1,000 steps) they took Pima from
    /// 0.712 to 0.773, above FastForest's 0.768, Ionosphere from 0.926 to 0.943, BreastCancer from 0.970 to 0.967 (above
    /// FastForest's 0.966) and Sonar from 0.874 to 0.848 (sweeps 9 to 11, docs/BENCHMARKS.md). The recipe had overfit the
    /// binary tables' 3,000 steps; fewer steps alone, a tenth held out, or a fifth without the dropout each left one of
    /// Pima and BreastCancer below FastForest.
    /// </summary>
    public const float BinaryValidationFraction = 0.2f, BinaryDropout = 0.3f;

    /// <summary>Fewer training rows than this hold none out (a fifth of them would validate nothing sound).</summary>
    public const int MinRowsToHoldOut = 10;

    /// <summary>The dropout of the hidden layers: the options', or <see cref="BinaryDropout"/> for a binary task of the recipe that left its own.</summary>
    public static float Dropout(DeepNetOptions options, bool binary) =>
        binary && options.RecipeDropout is { } recipe && options.Dropout == recipe ? BinaryDropout : options.Dropout;

    /// <summary>
    /// For a binary task of the recipe that left validation and early stopping as the recipe set them (none): the best
    /// epoch of the whole schedule on <see cref="BinaryValidationFraction"/> of the rows held out, or on the validation set
    /// given to Fit, which takes its place. A stream holds nothing out, so it keeps the best epoch of a given set only.
    /// </summary>
    public static void KeepBestBinaryEpoch(TrainerOptions trainer, DeepNetOptions options, NetworkPredictionKind kind, long rows, bool validationGiven)
    {
        if (kind != NetworkPredictionKind.BinaryClassification || !options.RecipeKeepsBestBinaryEpoch
            || options.ValidationFraction != 0 || options.EarlyStoppingPatience != 0) return;
        if (!validationGiven)
        {
            if (options.Streaming || rows < MinRowsToHoldOut) return;
            trainer.ValidationFraction = BinaryValidationFraction;
        }
        trainer.EarlyStoppingPatience = trainer.Epochs;
    }

    /// <summary>Enough epochs of <paramref name="batchSize"/> over <paramref name="rows"/> for <paramref name="targetSteps"/> steps, within [10, 300].</summary>
    public static int Epochs(long rows, int batchSize, int targetSteps = TargetSteps)
    {
        long stepsPerEpoch = Math.Max(1, (rows + batchSize - 1) / batchSize);
        return (int)Math.Clamp((targetSteps + stepsPerEpoch - 1) / stepsPerEpoch, MinEpochs, MaxEpochs);
    }

    /// <summary>
    /// The tabular recipe. Sweeps 5 and 6 (docs/BENCHMARKS.md) chose dropout 0.2, AdamW with decoupled decay 0.3 and label
    /// smoothing 0.1 over the first recipe (dropout 0.1, Adam): first of 19 columns over the eight classification tables,
    /// better on Servo, a little worse on Concrete. Label smoothing is for the classification tasks (a regression leaves it
    /// out, <see cref="DeepNetOptions.RecipeLabelSmoothing"/>); the recipe keeps 3,000 steps for the other tasks
    /// (<see cref="DeepNetOptions.RecipeTargetSteps"/>). Periodic embeddings of the features (deviation 0.1, 1 for a regression)
    /// ranked first of the suite's columns in sweeps 7 and 8, ahead of LightGbm, at three times the training time. A binary
    /// task holds a fifth of its rows out to keep its best epoch, with dropout 0.3 and 1,000 steps (<see cref="KeepBestBinaryEpoch"/>,
    /// <see cref="RecipeBinaryTargetSteps"/>, sweeps 9 to 11).
    /// </summary>
    public static DeepNetOptions Recipe()
    {
        var options = new DeepNetOptions
        {
            InputScaling = InputScaling.RobustClipped,
            HiddenLayers = [256, 128],
            Activation = ActivationKind.ReLU,
            Dropout = 0.2f,
            Optimizer = OptimizerKind.AdamW,
            WeightDecay = 0.3f,
            LabelSmoothing = 0.1f,
            LearningRate = 2e-3f,
            LearningRateSchedule = CosineSchedule.OverAllEpochs(),
            BatchSize = 64,
            Epochs = null,
            RecipeTargetSteps = TargetSteps,
            PeriodicEmbeddingSigma = 0.1f,
        };
        options.RecipeLabelSmoothing = options.LabelSmoothing;
        options.RecipeEmbeddingSigma = options.PeriodicEmbeddingSigma;
        options.RecipeDropout = options.Dropout;
        options.RecipeKeepsBestBinaryEpoch = true;
        return options;
    }
}
