using System.Diagnostics;
using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// Trains a <see cref="Network"/> by mini-batch gradient descent: seeded shuffling, epochs,
/// a validation split, early stopping that keeps the best weights, a report per epoch.
/// Once its buffers are sized, a step allocates nothing.
/// </summary>
public sealed class NetworkTrainer
{
    private readonly Network _network;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly Parameter[][] _layerWeights;
    private readonly string[] _layerNames;
    private readonly double[] _normSums;
    private readonly int[] _parameterLayer;      // for each of the network's parameters, its layer in _layerWeights, or -1 for a bias
    private readonly double[] _gradientSquares;  // each parameter's sum of squared gradients in the step, from the optimizer's pass
    private readonly ComputeContext _compute;
    private readonly ImageAugmenter? _augmenter;
    private Tensor? _batchX, _gradient;
    private float[] _batchY = [], _batchW = [];

    /// <summary>Creates a trainer; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentException">The options ask for augmentation and the network's input is not an image [C, H, W].</exception>
    public NetworkTrainer(Network network, Optimizer optimizer, TrainerOptions? options = null)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _options = options ?? new TrainerOptions();
        _options.Validate();
        _compute = _options.ResolveCompute();
        _augmenter = _options.Augmentation is { } augmentation ? new ImageAugmenter(augmentation, network.InputShape) : null;
        var weighted = network.AllLayers.Where(l => l.Parameters.Any(p => p.IsWeight)).ToArray();
        _layerWeights = weighted.Select(l => l.Parameters.Where(p => p.IsWeight).ToArray()).ToArray();
        _layerNames = weighted.Select((l, i) => $"{i + 1}:{l}").ToArray();
        _normSums = new double[weighted.Length];
        var layerOf = new Dictionary<Parameter, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _layerWeights.Length; i++)
            foreach (var p in _layerWeights[i]) layerOf[p] = i;
        _parameterLayer = network.Parameters.Select(p => layerOf.TryGetValue(p, out int i) ? i : -1).ToArray();
        _gradientSquares = new double[network.Parameters.Count];
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer's learning rate when the trainer was made; the schedule scales from it.</summary>
    public float BaseLearningRate { get; }

    /// <summary>The network being trained.</summary>
    public Network Network => _network;

    /// <summary>
    /// Trains on <paramref name="training"/>, validating on <paramref name="validation"/> (or on a
    /// held-out fraction of the training data when the options ask for one), reporting each epoch.
    /// With <see cref="TrainerOptions.CheckpointPath"/>, saves a checkpoint after each epoch and
    /// resumes from one that exists.
    /// </summary>
    /// <exception cref="ArgumentException">The data is empty or does not fit the network.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; checked before every step.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite, and the options say to throw.</exception>
    /// <exception cref="InvalidDataException">The checkpoint file is damaged or not a checkpoint.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint file belongs to another run, or early stopping has no validation data.</exception>
    public TrainingResult Fit(Dataset training, Dataset? validation = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        CheckDataset(training, nameof(training));
        if (validation is not null) CheckDataset(validation, nameof(validation));
        if (training.Count == 0) throw new ArgumentException("The training set is empty: there is nothing to learn from.", nameof(training));

        int[]? strata = _options.StratifyValidationSplit && validation is null && _options.ValidationFraction > 0 ? StratifiedSplit.Strata(training) : null;
        var run = TrainingRun.Start(_options, training.Count, validation?.Count, strata);
        Dataset? validSet = validation ?? (run.ValidIndices.Length > 0 ? training : null);
        if (_options.EarlyStoppingPatience > 0 && validSet is null)
            throw new InvalidOperationException("Early stopping needs validation data: pass a validation set or set ValidationFraction.");
        var identity = new CheckpointIdentity(_options, _network, training.Count, validation?.Count ?? 0, _layerNames);
        int resumedAfter = 0;
        if (_options.CheckpointPath is { } path && File.Exists(path))
        {
            TrainingCheckpoint.Restore(path, _network, _optimizer, run, identity);
            resumedAfter = run.CompletedEpochs;
        }

        var feed = new IndexedBatchFeed(training, run.TrainIndices, _options.Shuffle ? run.ShuffleRng : null);
        int stepsPerEpoch = (run.TrainIndices.Length + _options.BatchSize - 1) / _options.BatchSize;
        return Run(feed, stepsPerEpoch, validSet, run, identity, progress, cancellationToken) with { ResumedAfterEpoch = resumedAfter };
    }

    /// <summary>
    /// Trains on a stream read afresh each epoch and shuffled through a pool of <see cref="TrainerOptions.ShufflePoolSize"/>
    /// samples (none with <see cref="TrainerOptions.Shuffle"/> false), so memory does not grow with the number of samples;
    /// validates on <paramref name="validation"/>, which is held in memory. A stream holds nothing out for validation and
    /// keeps no checkpoint: <see cref="TrainerOptions.ValidationFraction"/> and <see cref="TrainerOptions.CheckpointPath"/> must be unset.
    /// </summary>
    /// <exception cref="ArgumentException">The stream does not fit the network, or has no samples.</exception>
    /// <exception cref="InvalidOperationException">An option a stream cannot honour is set, or early stopping has no validation data.</exception>
    public TrainingResult FitStream(SampleStream training, Dataset? validation = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        CheckShapes(training.SampleShape, training.TargetSize, nameof(training));
        if (validation is not null) CheckDataset(validation, nameof(validation));
        if (_options.ValidationFraction > 0)
            throw new InvalidOperationException($"ValidationFraction ({_options.ValidationFraction}) holds samples out of an indexed training set; a stream has none to hold out. Pass a validation set instead.");
        if (_options.CheckpointPath is not null)
            throw new InvalidOperationException("CheckpointPath: a streamed run keeps no checkpoint; unset it.");
        if (_options.EarlyStoppingPatience > 0 && validation is null)
            throw new InvalidOperationException("Early stopping needs validation data: pass a validation set.");
        var run = TrainingRun.Start(_options, 0, validation?.Count);
        var identity = new CheckpointIdentity(_options, _network, 0, validation?.Count ?? 0, _layerNames);
        var feed = new StreamBatchFeed(training, _options.Shuffle ? _options.ShufflePoolSize : 1, run.ShuffleRng);
        try
        {
            return Run(feed, 0, validation, run, identity, progress, cancellationToken);
        }
        finally
        {
            feed.Stop();
        }
    }

    /// <summary>The epochs of a run; <paramref name="stepsPerEpoch"/> is 0 when the feed's length is not known in advance (a stream).</summary>
    private TrainingResult Run(IBatchFeed training, int stepsPerEpoch, Dataset? validSet, TrainingRun run, CheckpointIdentity identity,
        IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        // The schedule is resolved for this run's length and asked before every step: it holds no state, so a resumed
        // run (whose steps per epoch are fixed by its sample count) gets the very rates of an uninterrupted one.
        var schedule = _options.Schedule?.ForRun(_options.Epochs, stepsPerEpoch);
        long step = (long)run.CompletedEpochs * stepsPerEpoch;
        var parameters = _network.StateArrays;
        bool keepLastGood = _options.OnDivergence == DivergencePolicy.RestoreBest;
        // The weights of the last epoch that ended finite, for RestoreBest; a resumed run starts from one.
        float[][]? lastGood = keepLastGood && run.CompletedEpochs > 0 ? Snapshot(parameters, null) : null;

        for (int epoch = run.CompletedEpochs + 1; epoch <= _options.Epochs && !run.PatienceExhausted; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var epochWatch = Stopwatch.StartNew();
            if (schedule is null) _optimizer.LearningRate = BaseLearningRate;
            training.StartEpoch();
            Array.Clear(_normSums);
            double lossSum = 0;
            long correct = 0;
            int steps = 0, samples = 0;
            bool hasAccuracy = true;
            var stepWatch = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = NextBatch(training);
                if (count == 0) break;
                samples += count;
                if (schedule is not null) _optimizer.LearningRate = schedule.RateAtStep(step, epoch - 1, stepsPerEpoch, BaseLearningRate);
                step++;
                // Augmented images only in training: validation and prediction read the samples as they are.
                var inputs = _augmenter is null ? _batchX! : _augmenter.Apply(_batchX!, run.AugmentationRng!, _compute);
                float loss = TrainStep(inputs, _batchY.AsSpan(0, count * training.TargetSize), training.HasWeights ? _batchW.AsSpan(0, count) : default, out int right);
                steps++;
                if (!float.IsFinite(loss)) return Diverged(run, new TrainingDivergedException(epoch, steps, loss), lastGood);
                lossSum += loss * (double)count;
                if (right < 0) hasAccuracy = false; else correct += right;
            }
            double seconds = stepWatch.Elapsed.TotalSeconds;
            if (samples == 0) throw new ArgumentException("The training stream gave no samples: there is nothing to learn from.", "training");
            // A finite loss can still come with an update that overflowed a weight: catch it before it is kept.
            if (!parameters.All(a => FiniteValues.All(a))) return Diverged(run, TrainingDivergedException.NonFiniteWeights(epoch, steps), lastGood);

            float? validLoss = null;
            double? validAccuracy = null;
            if (validSet is not null && run.ValidIndices.Length > 0)
            {
                var (vl, va) = Evaluate(validSet, run.ValidIndices, cancellationToken);
                if (!float.IsFinite(vl)) return Diverged(run, TrainingDivergedException.NonFiniteValidation(epoch, steps, vl), lastGood);
                validLoss = vl;
                validAccuracy = va;
            }
            var norms = new double[_normSums.Length];
            for (int i = 0; i < norms.Length; i++) norms[i] = _normSums[i] / steps;
            var report = new EpochReport(epoch, _options.Epochs, (float)(lossSum / samples),
                hasAccuracy ? correct / (double)samples : null, validLoss, validAccuracy,
                _layerNames, norms, _optimizer.LearningRate, samples / Math.Max(seconds, 1e-9), epochWatch.Elapsed);
            run.History.Add(report);
            progress?.Report(report);

            if (_options.EarlyStoppingPatience > 0 && validLoss is float current)
            {
                if (current < run.BestLoss)
                {
                    run.BestLoss = current;
                    run.BestEpoch = epoch;
                    run.SinceBest = 0;
                    run.Best = Snapshot(parameters, run.Best);
                }
                else if (++run.SinceBest >= _options.EarlyStoppingPatience) run.PatienceExhausted = true;
            }
            else run.BestEpoch = epoch;
            run.CompletedEpochs = epoch;
            if (keepLastGood) lastGood = Snapshot(parameters, lastGood);
            if (_options.CheckpointPath is { } path)
                TrainingCheckpoint.Save(path, _network, _optimizer, run, identity);
        }
        if (run.Best is not null) Restore(parameters, run.Best);
        return new TrainingResult(run.History, run.BestEpoch, run.PatienceExhausted && run.CompletedEpochs < _options.Epochs);
    }

    /// <summary>Throws, or with <see cref="DivergencePolicy.RestoreBest"/> puts back the best weights so far and says why it stopped.</summary>
    private TrainingResult Diverged(TrainingRun run, TrainingDivergedException divergence, float[][]? lastGood)
    {
        var restore = run.Best ?? lastGood;
        if (_options.OnDivergence == DivergencePolicy.Throw || restore is null) throw divergence;
        Restore(_network.StateArrays, restore);
        int epoch = run.Best is not null ? run.BestEpoch : run.CompletedEpochs;
        return new TrainingResult(run.History, epoch, StoppedEarly: false) { Divergence = divergence };
    }

    /// <summary>A copy of the network's state arrays (its weights and its buffers), into <paramref name="into"/> when given.</summary>
    private static float[][] Snapshot(float[][] state, float[][]? into)
    {
        into ??= state.Select(a => new float[a.Length]).ToArray();
        for (int i = 0; i < state.Length; i++) state[i].CopyTo(into[i], 0);
        return into;
    }

    private static void Restore(float[][] state, float[][] values)
    {
        for (int i = 0; i < state.Length; i++) values[i].CopyTo(state[i], 0);
    }

    /// <summary>
    /// One gradient step on a batch: forward, loss, backward, clipping, optimizer update,
    /// max-norm. Returns the batch's mean loss; <paramref name="correct"/> is the number of right
    /// predictions, or -1 for a loss without accuracy.
    /// </summary>
    public float TrainStep(Tensor inputs, ReadOnlySpan<float> targets, out int correct) => TrainStep(inputs, targets, default, out correct);

    /// <summary>
    /// One gradient step with a weight per sample in the loss (see <see cref="Losses.Loss.Compute(Tensor, ReadOnlySpan{float}, ReadOnlySpan{float}, Tensor?)"/>);
    /// empty <paramref name="weights"/> is the unweighted step.
    /// </summary>
    public float TrainStep(Tensor inputs, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, out int correct)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var output = _network.Forward(inputs, training: true, _compute);
        var gradient = Tensor.Ensure(ref _gradient, output.Batch, output.SampleShape);
        float loss = _network.Loss.Compute(output, targets, weights, gradient);
        correct = _network.Loss.CountCorrect(output, targets);
        _network.Backward(gradient, _compute);
        if (_options.GradientClipNorm > 0)
        {
            // The norms are of the gradients before clipping, so they are read here, apart from the optimizer's pass.
            for (int p = 0; p < _gradientSquares.Length; p++)
            {
                float n = TensorPrimitives.Norm(_network.Parameters[p].Gradient);
                _gradientSquares[p] = (double)n * n;
            }
            GradientClipping.ClipByGlobalNorm(_network.Parameters, _options.GradientClipNorm);
            _optimizer.Step(_network.Parameters, _compute);
        }
        else
        {
            // The optimizer reads every gradient once anyway: it sums their squares in the same pass.
            _optimizer.StepWithGradientSquares(_network.Parameters, _compute, _gradientSquares);
        }
        AddGradientNorms();
        if (_options.MaxNorm > 0) MaxNormConstraint.Apply(_network.Parameters, _options.MaxNorm);
        return loss;
    }

    /// <summary>Adds each weighted layer's weight-gradient norm in this step, from the parameters' sums of squares, to the epoch's sums.</summary>
    private void AddGradientNorms()
    {
        for (int i = 0; i < _layerWeights.Length; i++)
        {
            double sq = 0;
            for (int p = 0; p < _gradientSquares.Length; p++)
                if (_parameterLayer[p] == i) sq += _gradientSquares[p];
            _normSums[i] += Math.Sqrt(sq);
        }
    }

    /// <summary>The mean loss and the accuracy (null for regression) of the network on <paramref name="data"/>.</summary>
    public (float Loss, double? Accuracy) Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckDataset(data, nameof(data));
        return Evaluate(data, Enumerable.Range(0, data.Count).ToArray(), CancellationToken.None);
    }

    private (float Loss, double? Accuracy) Evaluate(Dataset data, int[] indices, CancellationToken cancellationToken)
    {
        double lossSum = 0;
        long correct = 0;
        bool hasAccuracy = true;
        for (int start = 0; start < indices.Length; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(_options.BatchSize, indices.Length - start);
            Gather(data, indices.AsSpan(start, count));
            var targets = _batchY.AsSpan(0, count * data.TargetSize);
            var output = _network.Forward(_batchX!, training: false, _compute);
            var weights = data.HasWeights ? _batchW.AsSpan(0, count) : default;
            lossSum += _network.Loss.Compute(output, targets, weights, null) * (double)count;
            int right = _network.Loss.CountCorrect(output, targets);
            if (right < 0) hasAccuracy = false; else correct += right;
        }
        return ((float)(lossSum / indices.Length), hasAccuracy ? correct / (double)indices.Length : null);
    }

    private void Gather(Dataset data, ReadOnlySpan<int> indices)
    {
        var x = Tensor.Ensure(ref _batchX, indices.Length, _network.InputShape);
        int t = data.TargetSize;
        EnsureBatchBuffers(t);
        for (int i = 0; i < indices.Length; i++)
        {
            data.Read(indices[i], x.Row(i), _batchY.AsSpan(i * t, t));
            if (data.HasWeights) _batchW[i] = data.Weight(indices[i]);
        }
    }

    /// <summary>Fills the batch buffers with the feed's next batch and returns its size (0 at the end of the epoch).</summary>
    private int NextBatch(IBatchFeed feed)
    {
        var x = Tensor.Ensure(ref _batchX, _options.BatchSize, _network.InputShape);
        EnsureBatchBuffers(feed.TargetSize);
        int count = feed.Next(x, _batchY, _batchW);
        x.Resize(count);
        return count;
    }

    private void EnsureBatchBuffers(int targetSize)
    {
        if (_batchY.Length < _options.BatchSize * targetSize) _batchY = new float[_options.BatchSize * targetSize];
        if (_batchW.Length < _options.BatchSize) _batchW = new float[_options.BatchSize];
    }

    private void CheckDataset(Dataset data, string name) => CheckShapes(data.SampleShape, data.TargetSize, name);

    private void CheckShapes(TensorShape sampleShape, int targetSize, string name)
    {
        if (sampleShape.Size != _network.InputShape.Size)
            throw new ArgumentException($"The {name} samples have shape {sampleShape}; the network takes {_network.InputShape}.", name);
        int expected = _network.Loss.TargetSize(_network.OutputShape.Size);
        if (targetSize != expected)
            throw new ArgumentException($"The {name} set has {targetSize} target value(s) per sample; {_network.Loss} with {_network.OutputShape.Size} outputs needs {expected}.", name);
    }
}
