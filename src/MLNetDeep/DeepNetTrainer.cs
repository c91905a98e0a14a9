using Microsoft.ML;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;
using MLNetDeep.Internal;
using MLNetDeep.Training;

namespace MLNetDeep;

/// <summary>
/// The DeepNet trainer: an ML.NET trainer estimator that trains a neural network on a features column and a
/// label column and returns a <see cref="NetworkPredictionTransformer"/> with the columns ML.NET's built-in
/// trainers give (multiclass: Score, PredictedLabel; binary: Score, Probability, PredictedLabel; regression:
/// Score). As ML.NET's own trainers, it takes a validation set (<see cref="Fit(IDataView, IDataView)"/>),
/// continues a previous model (<see cref="Fit(IDataView, NetworkModelParameters)"/>), weighs rows
/// (<see cref="DeepNetOptions.ExampleWeightColumnName"/>, <see cref="DeepNetOptions.ClassWeights"/>), and with
/// <see cref="DeepNetOptions.Streaming"/> trains on data larger than memory. With
/// <see cref="DeepNetOptions.Pretraining"/> it first pre-trains the dense hidden layers as a deep belief network.
/// Create it through the catalogs, for example <c>mlContext.MulticlassClassification.Trainers.DeepNet(...)</c>.
/// </summary>
public sealed class DeepNetTrainer : ITrainerEstimator<NetworkPredictionTransformer, NetworkModelParameters>
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

    /// <summary>
    /// What the trainer is, for code that takes any ML.NET trainer: it needs normalised features, neither a cache
    /// nor a calibrator, and supports validation data and incremental training (continuing a previous model).
    /// </summary>
    public TrainerInfo Info { get; } = DeepNetTrainerInfo.Create();

    /// <summary>The per-epoch history of the last Fit, or null before the first.</summary>
    public TrainingResult? LastTrainingResult { get; private set; }

    /// <summary>Trains a network on <paramref name="input"/> (validating on <see cref="DeepNetOptions.ValidationFraction"/> of it, if set).</summary>
    public NetworkPredictionTransformer Fit(IDataView input) => Fit(input, null, null);

    /// <summary>
    /// Trains on <paramref name="trainData"/>, validating every epoch on <paramref name="validationData"/>: its loss
    /// drives early stopping (<see cref="DeepNetOptions.EarlyStoppingPatience"/>) and the epoch reports, in place of
    /// <see cref="DeepNetOptions.ValidationFraction"/>. It must have the training data's columns, of the same types.
    /// </summary>
    public NetworkPredictionTransformer Fit(IDataView trainData, IDataView validationData)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        return Fit(trainData, validationData, null);
    }

    /// <summary>
    /// Continues training <paramref name="previousModel"/> (a DeepNet model: <c>transformer.Model</c>, or
    /// <see cref="NetworkModelParameters.FromNetwork"/> of an engine network) on <paramref name="trainData"/> for
    /// <see cref="DeepNetOptions.Epochs"/> more epochs, with these options' optimizer and learning rate (started
    /// afresh: the model keeps weights, not optimizer state). The options must build the same architecture;
    /// with <see cref="DeepNetOptions.ReinitializeOutputLayer"/>, all but the output layer (fine-tuning).
    /// </summary>
    /// <exception cref="ArgumentException">The previous model's architecture differs; the message names the first difference.</exception>
    public NetworkPredictionTransformer Fit(IDataView trainData, NetworkModelParameters previousModel)
    {
        ArgumentNullException.ThrowIfNull(previousModel);
        return Fit(trainData, null, previousModel);
    }

    /// <summary>Trains on <paramref name="trainData"/>, validating on <paramref name="validationData"/> if given, from <paramref name="previousModel"/> if given.</summary>
    public NetworkPredictionTransformer Fit(IDataView trainData, IDataView? validationData, NetworkModelParameters? previousModel)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        Options.Validate();
        var task = TrainingTask.Create(Kind, trainData.Schema, Options);
        if (validationData is not null) task.CheckValidationSchema(validationData.Schema);
        if (Options.EarlyStoppingPatience > 0 && validationData is null && !(Options.ValidationFraction > 0))
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.EarlyStoppingPatience), Options.EarlyStoppingPatience,
                "Early stopping needs validation data: pass a validation set to Fit(trainData, validationData), or set ValidationFraction, for example to 0.1.");

        if (Options.EnsembleSize > 1 && previousModel is not null)
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.EnsembleSize), Options.EnsembleSize,
                "An ensemble trains its members from fresh draws: it cannot continue a model. Set EnsembleSize to 1 to continue one network.");

        var loss = task.CreateLoss();
        var scaling = LearnedScaling.Plan(Options, task, previousModel);
        var network = NetworkBuilder.Build(Options, task.Shape, task.Outputs, loss, scaling);
        if (previousModel is not null) WarmStart.Apply(network, previousModel, Options.ReinitializeOutputLayer);
        var token = Options.CancellationToken;
        // Member 0 is the network above; the others of an ensemble (EnsembleSize) have their own seeds and checkpoints.
        var members = new List<Network> { network };
        for (int k = 1; k < Options.EnsembleSize; k++)
            members.Add(NetworkBuilder.Build(Options, task.Shape, task.Outputs, loss, scaling, EnsembleTraining.MemberSeed(Options.Seed, k)));
        NetworkTrainer Trainer(long rows, int member = 0)
        {
            var trainerOptions = Options.ToTrainerOptions(rows, TabularDefaults.TargetStepsFor(Options, Kind));
            trainerOptions.StratifyValidationSplit = Kind != NetworkPredictionKind.Regression;
            trainerOptions.Seed = (ulong)(uint)EnsembleTraining.MemberSeed(Options.Seed, member);
            trainerOptions.CheckpointPath = EnsembleTraining.CheckpointOf(Options.CheckpointPath, member);
            TabularDefaults.KeepBestBinaryEpoch(trainerOptions, Options, Kind, rows, validationData is not null);
            return new NetworkTrainer(members[member], OptimizerSettings.Create(Options), trainerOptions);
        }

        using (var channel = _env.Start("DeepNet"))
        {
            var progress = new ChannelProgress<EpochReport>(channel, Options.Progress);
            if (validationData is not null && Options.ValidationFraction > 0)
                progress.Info($"DeepNet validates on the validation set given to Fit; ValidationFraction ({Options.ValidationFraction}) holds no training rows out.");
            if (Options.Streaming)
            {
                float[]? classWeights = ClassWeightsOf(task, () => TrainingData.CountClasses(trainData, task, token));
                SampleStream stream = new DataViewSampleStream(trainData, task, classWeights, token);
                long rows = Options.Epochs is null || Options.BatchSize is null ? TrainingData.CountLabelled(trainData, task, token) : 1;
                if (scaling.Input != InputScaling.Off || scaling.Targets) scaling.Prepare(network, LearnedScaling.Sample(stream), previousModel is not null);
                stream = scaling.Standardized(stream);
                var validation = scaling.Standardized(validationData is null ? null : ReadWeighted(validationData, task, classWeights, "validation"));
                progress.Info($"DeepNet ({Kind}): {network}, {network.ParameterCount} parameters, streaming the training rows through a shuffle pool of {Options.ShufflePoolSize}{scaling.Describe()}{Continuing(previousModel)}.");
                LastTrainingResult = scaling.InLabelUnits(Trainer(rows).FitStream(stream, validation, scaling.Reporting(progress), token));
                for (int k = 1; k < members.Count; k++)
                {
                    scaling.PrepareLike(members[k], network);
                    Report(progress, k, scaling.InLabelUnits(Trainer(rows, k).FitStream(stream, validation, scaling.Reporting(progress), token)));
                }
            }
            else
            {
                var (rows, exampleWeights) = TrainingData.Read(trainData, task, "training", token);
                float[]? classWeights = ClassWeightsOf(task, () => CountClasses(rows, task.Classes));
                var data = Weighted(rows, exampleWeights, classWeights);
                var validation = validationData is null ? null : ReadWeighted(validationData, task, classWeights, "validation");
                // A checkpoint holds the weights pre-training would set, so a resumed run skips it; so does a warm start.
                bool resuming = Options.CheckpointPath is { } checkpoint && File.Exists(checkpoint);
                if (Options.Pretraining is not null && !resuming && previousModel is null) DensePretraining.Initialize(network, data, Options, channel);
                // The label's statistics come from the training rows; the validation rows are standardised with them.
                var trained = scaling.Prepare(network, data, previousModel is not null);
                validation = scaling.Standardized(validation);
                progress.Info($"DeepNet ({Kind}): {network} on {data.Count} rows, {network.ParameterCount} parameters{scaling.Describe()}{Continuing(previousModel)}.");
                LastTrainingResult = scaling.InLabelUnits(Trainer(data.Count).Fit(trained, validation, scaling.Reporting(progress), token));
                for (int k = 1; k < members.Count; k++)
                {
                    if (Options.Pretraining is not null && !File.Exists(EnsembleTraining.CheckpointOf(Options.CheckpointPath, k) ?? ""))
                        DensePretraining.Initialize(members[k], data, Options, channel);
                    scaling.PrepareLike(members[k], network);
                    Report(progress, k, scaling.InLabelUnits(Trainer(data.Count, k).Fit(trained, validation, scaling.Reporting(progress), token)));
                }
            }
            network = EnsembleTraining.Join(Options, task.Shape, task.Outputs, loss, scaling, members);
            scaling.Finish(network);
            if (LastTrainingResult.ResumedAfterEpoch > 0)
                progress.Info($"DeepNet resumed from the checkpoint '{Options.CheckpointPath}' after epoch {LastTrainingResult.ResumedAfterEpoch}.");
            if (LastTrainingResult.Divergence is { } divergence)
                progress.Warning($"{divergence.Message} The model keeps the weights of epoch {LastTrainingResult.BestEpoch}.");
        }

        var model = NetworkModelParameters.FromNetwork(network, [.. previousModel?.TrainingHistory ?? [], .. LastTrainingResult.History]);
        return Kind switch
        {
            NetworkPredictionKind.MulticlassClassification => NetworkPredictionTransformer.CreateMulticlass(_env, model, task.FeatureName, task.Label),
            NetworkPredictionKind.BinaryClassification => NetworkPredictionTransformer.CreateBinary(_env, model, task.FeatureName),
            _ => NetworkPredictionTransformer.CreateRegression(_env, model, task.FeatureName),
        };
    }

    /// <summary>The schema Fit's transformer will produce.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        NetworkPredictionSchemaShape.Append(inputSchema, Kind, Options.FeatureColumnName, Options.LabelColumnName);

    /// <summary>What the log says of an ensemble's member <paramref name="member"/> (0-based) after its training.</summary>
    private void Report(ChannelProgress<EpochReport> progress, int member, TrainingResult result)
    {
        progress.Info($"DeepNet ensemble member {member + 1} of {Options.EnsembleSize}: {result.History.Count} epochs, best epoch {result.BestEpoch}"
            + (result.ResumedAfterEpoch > 0 ? $", resumed from '{EnsembleTraining.CheckpointOf(Options.CheckpointPath, member)}' after epoch {result.ResumedAfterEpoch}" : "") + ".");
        if (result.Divergence is { } divergence) progress.Warning($"Ensemble member {member + 1}: {divergence.Message} It keeps the weights of epoch {result.BestEpoch}.");
    }

    private static string Continuing(NetworkModelParameters? previous) =>
        previous is null ? "" : $", continuing a model trained {previous.TrainingHistory.Count} epochs";

    private float[]? ClassWeightsOf(TrainingTask task, Func<long[]> counts) =>
        Options.ClassWeights?.For(task.Classes, Options.ClassWeights.IsBalanced ? counts() : []);

    private Dataset ReadWeighted(IDataView data, TrainingTask task, float[]? classWeights, string role)
    {
        var (rows, weights) = TrainingData.Read(data, task, role, Options.CancellationToken);
        return Weighted(rows, weights, classWeights);
    }

    /// <summary>The rows with their weights: example weight times class weight, when there are any.</summary>
    private static Dataset Weighted(InMemoryDataset rows, float[]? exampleWeights, float[]? classWeights)
    {
        if (exampleWeights is null && classWeights is null) return rows;
        var weights = exampleWeights ?? new float[rows.Count];
        if (exampleWeights is null) Array.Fill(weights, 1f);
        if (classWeights is not null)
        {
            Span<float> target = stackalloc float[1];
            for (int i = 0; i < rows.Count; i++)
            {
                rows.ReadTargets(i, target);
                weights[i] *= classWeights[(int)target[0]];
            }
        }
        return new WeightedDataset(rows, weights);
    }

    private static long[] CountClasses(InMemoryDataset rows, int classes)
    {
        var counts = new long[classes];
        Span<float> target = stackalloc float[1];
        for (int i = 0; i < rows.Count; i++)
        {
            rows.ReadTargets(i, target);
            counts[(int)target[0]]++;
        }
        return counts;
    }
}
