using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Bench.Tabular;

/// <summary>
/// The trainers the suite compares, by name, for a task: DeepNet with its tabular recipe and with its plain
/// defaults, and ML.NET's LightGbm, FastForest and SDCA with ML.NET's defaults (a multiclass FastForest is
/// one-versus-all, as ML.NET has no multiclass forest). Extra DeepNet settings (names starting "DeepNet ") can be
/// named on the command line to compare recipes.
/// </summary>
internal static class SuiteTrainers
{
    public static readonly string[] Default = ["DeepNet tabular", "DeepNet plain", "LightGbm", "FastForest", "SDCA"];

    /// <summary>DeepNet settings tried against each other when choosing the recipe (--trainers NAME,...).</summary>
    public static readonly Dictionary<string, Func<DeepNetOptions>> DeepNetVariants = new()
    {
        ["DeepNet tabular"] = DeepNetOptions.ForTabular,
        ["DeepNet first recipe"] = FirstRecipe,
        ["DeepNet plain"] = () => new DeepNetOptions(),
        // The recipe the README gave before the tabular defaults (and the tabular sample used), for comparison.
        ["DeepNet README"] = () => new DeepNetOptions
        {
            HiddenLayers = [64, 32], Activation = ActivationKind.ReLU, Initializer = InitializerKind.He, Dropout = 0.1f, L2 = 1e-4f,
            Optimizer = OptimizerKind.Adam, LearningRate = 3e-3f, Epochs = 60, BatchSize = 16, Seed = 1,
            LearningRateSchedule = CosineSchedule.OverAllEpochs(1e-5f), InputScaling = InputScaling.Off, StandardizeRegressionTargets = false,
        },
        // One change each to the plain defaults, and to the recipe: the evidence for their parts.
        ["DeepNet plain: batch scaled"] = () => Plain(o => o.BatchSize = null),
        ["DeepNet plain: dropout 0.1"] = () => Plain(o => o.Dropout = 0.1f),
        ["DeepNet plain: AdamW 0.01"] = () => Plain(o => o.Optimizer = OptimizerKind.AdamW),
        ["DeepNet plain: cosine"] = () => Plain(o => o.LearningRateSchedule = CosineSchedule.OverAllEpochs()),
        ["DeepNet plain: 3x256"] = () => Plain(o => o.HiddenLayers = [256, 256, 256]),
        ["DeepNet plain: 512-256"] = () => Plain(o => o.HiddenLayers = [512, 256]),
        ["DeepNet plain: best of 20% held out"] = () => Plain(o => { o.ValidationFraction = 0.2f; o.EarlyStoppingPatience = 300; }),
        ["DeepNet plain: rate 3e-3"] = () => Plain(o => o.LearningRate = 3e-3f),
        ["DeepNet plain: standardized inputs"] = () => Plain(o => o.InputScaling = InputScaling.Standardize),
        ["DeepNet plain: unscaled inputs"] = () => Plain(o => o.InputScaling = InputScaling.Off),
        ["DeepNet plain: ELU"] = () => Plain(o => o.Activation = ActivationKind.ELU),
        ["DeepNet plain: He"] = () => Plain(o => o.Initializer = InitializerKind.He),
        ["DeepNet plain: L2 1e-4"] = () => Plain(o => o.L2 = 1e-4f),
        ["DeepNet plain: L2 1e-3"] = () => Plain(o => o.L2 = 1e-3f),
        ["DeepNet plain: AdamW decay 0.1"] = () => Plain(o => { o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.1f; }),
        ["DeepNet plain: 128-64"] = () => Plain(o => o.HiddenLayers = [128, 64]),
        ["DeepNet tabular: dropout 0.2, rate 2e-3"] = () => Tabular(o => { o.Dropout = 0.2f; o.LearningRate = 2e-3f; }),
        ["DeepNet tabular: dropout 0.2, rate 2e-3, batch 32"] = () => Tabular(o => { o.Dropout = 0.2f; o.LearningRate = 2e-3f; o.BatchSize = 32; }),
        ["DeepNet tabular: AdamW"] = () => Tabular(o => o.Optimizer = OptimizerKind.AdamW),
        ["DeepNet tabular: AdamW 0.1"] = () => Tabular(o => { o.Optimizer = OptimizerKind.AdamW; o.L2 = 0.1f; }),
        ["DeepNet tabular: batch 32"] = () => Tabular(o => o.BatchSize = 32),
        ["DeepNet tabular: 512-256"] = () => Tabular(o => o.HiddenLayers = [512, 256]),
        ["DeepNet tabular: dropout 0.2"] = () => Tabular(o => o.Dropout = 0.2f),
        ["DeepNet tabular: best of 10% held out"] = () => Tabular(o => { o.ValidationFraction = 0.1f; o.EarlyStoppingPatience = 300; }),
        ["DeepNet tabular: rate 2e-3"] = () => Tabular(o => o.LearningRate = 2e-3f),
        ["DeepNet tabular: ELU"] = () => Tabular(o => o.Activation = ActivationKind.ELU),
        ["DeepNet tabular: 3x256 residual"] = () => Tabular(o => o.Layers =
            [DeepNetLayer.Dense(256), DeepNetLayer.Dropout(0.1f), DeepNetLayer.Residual(DeepNetLayer.Dense(256), DeepNetLayer.Dropout(0.1f)),
             DeepNetLayer.Residual(DeepNetLayer.Dense(256), DeepNetLayer.Dropout(0.1f))]),
        // Sweep 3: the ideas of RealMLP and TabM, one change each to the recipe. Label smoothing applies to the
        // multiclass sets only (Create leaves it out elsewhere: the binary and regression losses have none).
        ["DeepNet tabular: label smoothing 0.1"] = () => Tabular(o => o.LabelSmoothing = 0.1f),
        ["DeepNet tabular: warm-up 300 steps"] = () => Tabular(o => o.LearningRateSchedule = CosineSchedule.OverAllEpochs().WithWarmup(steps: 300)),
        ["DeepNet tabular: one-cycle"] = () => Tabular(o => o.LearningRateSchedule = new OneCycleSchedule()),
        ["DeepNet tabular: AdamW decay 0.1"] = () => Tabular(o => { o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.1f; }),
        ["DeepNet tabular: AdamW decay 0.02"] = () => Tabular(o => { o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.02f; }),
        ["DeepNet tabular: batch 128"] = () => Tabular(o => o.BatchSize = 128),
        ["DeepNet tabular: 100 epochs"] = () => Tabular(o => o.Epochs = 100),
        ["DeepNet tabular: 128-64"] = () => Tabular(o => o.HiddenLayers = [128, 64]),
        ["DeepNet tabular: ensemble of 3"] = () => Tabular(o => o.EnsembleSize = 3),
        ["DeepNet tabular: ensemble of 5"] = () => Tabular(o => o.EnsembleSize = 5),
        ["DeepNet tabular: ensemble of 5 + label smoothing 0.1"] = () => Tabular(o => { o.EnsembleSize = 5; o.LabelSmoothing = 0.1f; }),
        ["DeepNet tabular: ensemble of 5 + 128-64"] = () => Tabular(o => { o.EnsembleSize = 5; o.HiddenLayers = [128, 64]; }),
        ["DeepNet plain: ensemble of 5"] = () => Plain(o => o.EnsembleSize = 5),
        // Sweep 5: the changes sweep 3 supported, together.
        ["DeepNet tabular: AdamW 0.1 + label smoothing"] = () => Tabular(o => { o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.1f; o.LabelSmoothing = 0.1f; }),
        ["DeepNet tabular: AdamW 0.3 + label smoothing"] = () => Tabular(o => { o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.3f; o.LabelSmoothing = 0.1f; }),
        ["DeepNet tabular: dropout 0.2 + AdamW 0.1 + label smoothing"] = () => Tabular(o => { o.Dropout = 0.2f; o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.1f; o.LabelSmoothing = 0.1f; }),
        ["DeepNet tabular: linear skip + AdamW 0.1 + label smoothing"] = () => Tabular(o =>
        {
            o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.1f; o.LabelSmoothing = 0.1f;
            o.Layers = [DeepNetLayer.Residual(DeepNetLayer.Dense(256), DeepNetLayer.Dropout(0.1f), DeepNetLayer.Dense(128), DeepNetLayer.Dropout(0.1f))];
        }),
        ["DeepNet tabular: ensemble of 5 + AdamW 0.1 + label smoothing"] = () => Tabular(o => { o.EnsembleSize = 5; o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.1f; o.LabelSmoothing = 0.1f; }),
        ["DeepNet tabular: linear skip"] = () => Tabular(o => o.Layers =
            [DeepNetLayer.Residual(DeepNetLayer.Dense(256), DeepNetLayer.Dropout(0.1f), DeepNetLayer.Dense(128), DeepNetLayer.Dropout(0.1f))]),
        // Sweep 6: label smoothing on the binary sets too, and stronger regularisation where they overfit.
        ["DeepNet tabular: AdamW 1 + label smoothing"] = () => Tabular(o => { o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 1f; o.LabelSmoothing = 0.1f; }),
        ["DeepNet tabular: dropout 0.3 + AdamW 0.1 + label smoothing"] = () => Tabular(o => { o.Dropout = 0.3f; o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.1f; o.LabelSmoothing = 0.1f; }),
        ["DeepNet tabular: AdamW 0.1 + label smoothing 0.2"] = () => Tabular(o => { o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.1f; o.LabelSmoothing = 0.2f; }),
        ["DeepNet tabular: dropout 0.2 + AdamW 0.3 + label smoothing"] = () => Tabular(o => { o.Dropout = 0.2f; o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.3f; o.LabelSmoothing = 0.1f; }),
        ["DeepNet plain: label smoothing 0.1"] = () => Plain(o => o.LabelSmoothing = 0.1f),
        // Sweep 7: periodic numerical embeddings (PBLD) before the recipe's hidden layers.
        ["DeepNet tabular: PBLD"] = () => Tabular(o => { SecondRecipe(o); WithPeriodicEmbedding(o); }),
        ["DeepNet tabular: dropout 0.2 + AdamW 0.3 + label smoothing + PBLD"] = () => Tabular(o =>
        {
            o.Dropout = 0.2f; o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.3f; o.LabelSmoothing = 0.1f;
            WithPeriodicEmbedding(o);
        }),
        ["DeepNet tabular: dropout 0.2 + AdamW 0.3 + label smoothing + PBLD sigma 1"] = () => Tabular(o =>
        {
            o.Dropout = 0.2f; o.Optimizer = OptimizerKind.AdamW; o.WeightDecay = 0.3f; o.LabelSmoothing = 0.1f;
            WithPeriodicEmbedding(o, sigma: 1f);
        }),
        ["DeepNet plain: PBLD"] = () => Plain(WithPeriodicEmbedding),
    };

    /// <summary>The options' hidden layers (HiddenLayers, Activation, Dropout) after periodic embeddings of the features.</summary>
    private static void WithPeriodicEmbedding(DeepNetOptions o) => WithPeriodicEmbedding(o, 0.1f);

    private static void WithPeriodicEmbedding(DeepNetOptions o, float sigma)
    {
        var layers = new List<DeepNetLayer> { DeepNetLayer.PeriodicEmbedding(sigma: sigma) };
        foreach (int units in o.HiddenLayers)
        {
            layers.Add(DeepNetLayer.Dense(units, o.Activation));
            if (o.Dropout > 0) layers.Add(DeepNetLayer.Dropout(o.Dropout));
        }
        o.Layers = layers;
    }

    /// <summary>
    /// The first recipe (until sweep 6: dropout 0.1, Adam, no label smoothing, no embeddings), which the variants of the
    /// sweeps change one thing of, so that their names keep meaning what the sweeps measured: <see cref="DeepNetOptions.ForTabular"/>
    /// with its dropout, optimizer, smoothing and embeddings set back (its 3,000 steps for every task kept), and what the
    /// fourth round changed for a binary task.
    /// </summary>
    public static DeepNetOptions FirstRecipe()
    {
        var options = DeepNetOptions.ForTabular();
        options.Dropout = 0.1f;
        options.Optimizer = OptimizerKind.Adam;
        options.WeightDecay = null;
        options.LabelSmoothing = 0f;
        options.PeriodicEmbeddingSigma = null;
        ThirdRoundBinary(options);
        return options;
    }

    /// <summary>Sets back what the fourth round changed for a binary task: its dropout and the best epoch of a held-out fifth.</summary>
    public static void ThirdRoundBinary(DeepNetOptions options)
    {
        options.RecipeDropout = null;
        options.RecipeKeepsBestBinaryEpoch = false;
    }

    /// <summary>The changes of sweeps 5 and 6 to the first recipe: dropout 0.2, AdamW with decay 0.3, label smoothing 0.1.</summary>
    private static void SecondRecipe(DeepNetOptions o)
    {
        o.Dropout = 0.2f;
        o.Optimizer = OptimizerKind.AdamW;
        o.WeightDecay = 0.3f;
        o.LabelSmoothing = 0.1f;
    }

    private static DeepNetOptions Tabular(Action<DeepNetOptions> change)
    {
        var options = FirstRecipe();
        change(options);
        return options;
    }

    private static DeepNetOptions Plain(Action<DeepNetOptions> change)
    {
        var options = new DeepNetOptions();
        change(options);
        return options;
    }

    /// <summary>Trainer <paramref name="name"/> for <paramref name="task"/> on a table of <paramref name="rows"/> rows.</summary>
    public static IEstimator<ITransformer> Create(MLContext ml, TabularTask task, string name, int rows)
    {
        int threads = Environment.ProcessorCount;
        Func<DeepNetOptions>? make = StepTargetVariants.For(name, rows) is { } stepped ? () => stepped : null;
        if (make is not null || DeepNetVariants.TryGetValue(name, out make))
        {
            // Both classification losses take label smoothing (the binary one since sweep 6); the regression refuses it.
            var options = () =>
            {
                var o = make();
                if (task == TabularTask.Regression) o.LabelSmoothing = 0;
                return o;
            };
            return task switch
            {
                TabularTask.Binary => ml.BinaryClassification.Trainers.DeepNet(options()),
                TabularTask.Multiclass => ml.MulticlassClassification.Trainers.DeepNet(options()),
                _ => ml.Regression.Trainers.DeepNet(options()),
            };
        }
        return (name, task) switch
        {
            ("LightGbm", TabularTask.Binary) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options { Seed = 1, NumberOfThreads = threads }),
            ("LightGbm", TabularTask.Multiclass) => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options { Seed = 1, NumberOfThreads = threads }),
            ("LightGbm", _) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { Seed = 1, NumberOfThreads = threads }),
            ("FastForest", TabularTask.Binary) => ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options { NumberOfThreads = threads }),
            ("FastForest", TabularTask.Multiclass) => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options { NumberOfThreads = threads })),
            ("FastForest", _) => ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options { NumberOfThreads = threads }),
            ("SDCA", TabularTask.Binary) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
            // SDCA's default threading is lock-free and, as ML.NET documents, not deterministic; one thread is.
            ("SDCA again", TabularTask.Binary) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
            ("SDCA 1 thread", TabularTask.Binary) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1 }),
            ("SDCA again", TabularTask.Multiclass) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(),
            ("SDCA 1 thread", TabularTask.Multiclass) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 }),
            ("SDCA again", TabularTask.Regression) => ml.Regression.Trainers.Sdca(),
            ("SDCA 1 thread", TabularTask.Regression) => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { NumberOfThreads = 1 }),
            ("SDCA", TabularTask.Multiclass) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(),
            ("SDCA", _) => ml.Regression.Trainers.Sdca(),
            _ => throw new ArgumentException($"--trainers: no trainer '{name}'; known: {string.Join(", ", Default.Concat(DeepNetVariants.Keys).Concat(StepTargetVariants.Variants.Keys).Concat(RecipeVariants.Variants.Keys).Append("SDCA again").Append("SDCA 1 thread").Distinct())}."),
        };
    }
}
