using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Training;
using MLNetDeep.Internal;
using MLNetDeep.Training;

namespace MLNetDeep;

/// <summary>
/// The DeepNet trainer: an estimator that trains a neural network on a features column and a
/// label column and returns a <see cref="NetworkPredictionTransformer"/> with the columns ML.NET's
/// built-in trainers give (multiclass: Score, PredictedLabel; binary: Score, Probability,
/// PredictedLabel; regression: Score). With <see cref="DeepNetOptions.Pretraining"/> it first pre-trains the
/// dense hidden layers as a deep belief network. Create it through the catalogs, for example
/// <c>mlContext.MulticlassClassification.Trainers.DeepNet(...)</c>.
/// </summary>
public sealed class DeepNetTrainer : IEstimator<NetworkPredictionTransformer>
{
    private readonly IHostEnvironment _env;

    internal DeepNetTrainer(IHostEnvironment env, NetworkPredictionKind kind, DeepNetOptions options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        Kind = kind;
    }

    /// <summary>The options this trainer was made with.</summary>
    public DeepNetOptions Options { get; }

    /// <summary>The task: multiclass, binary or regression.</summary>
    public NetworkPredictionKind Kind { get; }

    /// <summary>The per-epoch history of the last <see cref="Fit"/>, or null before the first.</summary>
    public TrainingResult? LastTrainingResult { get; private set; }

    /// <summary>Trains a network on <paramref name="input"/>.</summary>
    public NetworkPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Options.Validate();
        var schema = input.Schema;
        var shape = TrainingData.FeatureShape(schema, Options.FeatureColumnName);
        string labelName = Options.LabelColumnName, featureName = Options.FeatureColumnName;

        InMemoryDataset data;
        Loss loss;
        int outputs;
        DataViewSchema.Column label;
        switch (Kind)
        {
            case NetworkPredictionKind.MulticlassClassification:
                int classes = TrainingData.ClassCount(schema, labelName);
                label = schema[labelName];
                // Keys count from 1; 0 is the missing value, skipped like the built-in trainers skip it.
                data = label.Type.RawType == typeof(uint)
                    ? TrainingData.Read(input, featureName, labelName, shape, (uint key, long row, out float t) => KeyTarget(key, classes, row, labelName, out t), Options.CancellationToken)
                    : throw new ArgumentOutOfRangeException(nameof(input), $"Label column '{labelName}' must be a key of UInt32; found {label.Type}.");
                loss = new SoftmaxCrossEntropy();
                outputs = classes;
                break;
            case NetworkPredictionKind.BinaryClassification:
                label = TrainingData.LabelColumn(schema, labelName, BooleanDataViewType.Instance, "binary classification");
                data = TrainingData.Read(input, featureName, labelName, shape, (bool value, long row, out float t) => { t = value ? 1f : 0f; return true; }, Options.CancellationToken);
                loss = new SigmoidBinaryCrossEntropy();
                outputs = 1;
                break;
            default:
                label = TrainingData.LabelColumn(schema, labelName, NumberDataViewType.Single, "regression");
                data = TrainingData.Read(input, featureName, labelName, shape, (float value, long row, out float t) => RegressionTarget(value, row, labelName, out t), Options.CancellationToken);
                loss = new MeanSquaredError();
                outputs = 1;
                break;
        }

        var network = NetworkBuilder.Build(Options, shape, outputs, loss);
        var optimizer = Optimizer.Create(Options.Optimizer, Options.LearningRate);
        if (Options.L2 > 0) optimizer.WeightDecay = Options.L2;
        var trainer = new NetworkTrainer(network, optimizer, Options.ToTrainerOptions());

        using (var channel = _env.Start("DeepNet"))
        {
            // A checkpoint holds the weights pre-training would set, so a resumed run skips it.
            bool resuming = Options.CheckpointPath is { } checkpoint && File.Exists(checkpoint);
            if (Options.Pretraining is not null && !resuming) DensePretraining.Initialize(network, data, Options, channel);
            var progress = new ChannelProgress<EpochReport>(channel, Options.Progress);
            progress.Info($"DeepNet ({Kind}): {network} on {data.Count} rows, {network.ParameterCount} parameters.");
            LastTrainingResult = trainer.Fit(data, null, progress, Options.CancellationToken);
            if (LastTrainingResult.ResumedAfterEpoch > 0)
                progress.Info($"DeepNet resumed from the checkpoint '{Options.CheckpointPath}' after epoch {LastTrainingResult.ResumedAfterEpoch}.");
            if (LastTrainingResult.Divergence is { } divergence)
                progress.Warning($"{divergence.Message} The model keeps the weights of epoch {LastTrainingResult.BestEpoch}.");
        }

        var model = new NetworkModelParameters(NetworkSerializer.ToBytes(network), new EngineScorerFactory());
        return Kind switch
        {
            NetworkPredictionKind.MulticlassClassification => NetworkPredictionTransformer.CreateMulticlass(_env, model, featureName, label),
            NetworkPredictionKind.BinaryClassification => NetworkPredictionTransformer.CreateBinary(_env, model, featureName),
            _ => NetworkPredictionTransformer.CreateRegression(_env, model, featureName),
        };
    }

    /// <summary>The schema <see cref="Fit"/>'s transformer will produce.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        NetworkPredictionSchemaShape.Append(inputSchema, Kind, Options.FeatureColumnName, Options.LabelColumnName);

    private static bool KeyTarget(uint key, int classes, long row, string column, out float target)
    {
        target = key - 1f;
        if (key == 0) return false;
        if (key > classes) throw new InvalidOperationException($"Row {row}: label column '{column}' holds key {key}, outside 1..{classes}.");
        return true;
    }

    private static bool RegressionTarget(float value, long row, string column, out float target)
    {
        target = value;
        if (float.IsNaN(value)) return false;
        if (float.IsInfinity(value)) throw new InvalidOperationException($"Row {row}: label column '{column}' is {value}; regression needs finite labels.");
        return true;
    }
}
