using Microsoft.ML;
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
        ["DeepNet tabular"] = () => new DeepNetOptions
        {
            HiddenLayers = [64, 32], Activation = ActivationKind.ReLU, Initializer = InitializerKind.He, Dropout = 0.1f, L2 = 1e-4f,
            Optimizer = OptimizerKind.Adam, LearningRate = 3e-3f, Epochs = 60, BatchSize = 16, Seed = 1,
            LearningRateSchedule = CosineSchedule.OverAllEpochs(1e-5f),
        },
        ["DeepNet plain"] = () => new DeepNetOptions(),
    };

    public static IEstimator<ITransformer> Create(MLContext ml, TabularTask task, string name)
    {
        int threads = Environment.ProcessorCount;
        if (DeepNetVariants.TryGetValue(name, out var options))
        {
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
            ("SDCA", TabularTask.Multiclass) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(),
            ("SDCA", _) => ml.Regression.Trainers.Sdca(),
            _ => throw new ArgumentException($"--trainers: no trainer '{name}'; known: {string.Join(", ", Default.Concat(DeepNetVariants.Keys).Distinct())}."),
        };
    }
}
