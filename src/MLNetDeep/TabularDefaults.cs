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
    /// docs/BENCHMARKS.md); the plain defaults have no regularisation, and overfit a binary label in 3,000. Multiclass
    /// tables lost much with fewer steps (Vowel 0.899 against 0.961), and the regressions (sweep 3), so they keep 3,000.
    /// </summary>
    public const int BinaryTargetSteps = 300;

    /// <summary>The steps the epochs are scaled to for <paramref name="kind"/> when the options leave them to the task (<see cref="DeepNetOptions.RecipeTargetSteps"/> null).</summary>
    public static int TargetStepsFor(NetworkPredictionKind kind) => kind == NetworkPredictionKind.BinaryClassification ? BinaryTargetSteps : TargetSteps;

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
    /// out, <see cref="DeepNetOptions.RecipeLabelSmoothing"/>); the recipe keeps 3,000 steps for a binary task too
    /// (<see cref="DeepNetOptions.RecipeTargetSteps"/>): regularised so, it did better on Ionosphere and Sonar with them
    /// than with the plain defaults' 300 (sweep 7). Periodic embeddings of the features (deviation 0.1, 1 for a regression)
    /// ranked first of the suite's columns in sweeps 7 and 8, ahead of LightGbm, at three times the training time.
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
        return options;
    }
}
