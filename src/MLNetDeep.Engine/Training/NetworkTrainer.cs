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
    private Tensor? _batchX, _gradient;
    private float[] _batchY = [];

    /// <summary>Creates a trainer; <paramref name="options"/> are validated here.</summary>
    public NetworkTrainer(Network network, Optimizer optimizer, TrainerOptions? options = null)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _options = options ?? new TrainerOptions();
        _options.Validate();
        var weighted = network.Layers.Where(l => l.Parameters.Any(p => p.IsWeight)).ToArray();
        _layerWeights = weighted.Select(l => l.Parameters.Where(p => p.IsWeight).ToArray()).ToArray();
        _layerNames = weighted.Select((l, i) => $"{i + 1}:{l}").ToArray();
        _normSums = new double[weighted.Length];
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer's learning rate when the trainer was made; the schedule scales from it.</summary>
    public float BaseLearningRate { get; }

    /// <summary>The network being trained.</summary>
    public Network Network => _network;

    /// <summary>
    /// Trains on <paramref name="training"/>, validating on <paramref name="validation"/> (or on a
    /// held-out fraction of the training data when the options ask for one), reporting each epoch.
    /// </summary>
    public TrainingResult Fit(Dataset training, Dataset? validation = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        CheckDataset(training, nameof(training));
        if (validation is not null) CheckDataset(validation, nameof(validation));

        var rng = new Rng(_options.Seed);
        int[] trainIndices = Enumerable.Range(0, training.Count).ToArray();
        int[] validIndices = [];
        Dataset? validSet = validation;
        if (validation is not null) validIndices = Enumerable.Range(0, validation.Count).ToArray();
        else if (_options.ValidationFraction > 0)
        {
            rng.Fork().Shuffle(trainIndices);
            int held = (int)Math.Round(training.Count * (double)_options.ValidationFraction);
            held = Math.Clamp(held, 1, training.Count - 1);
            validIndices = trainIndices[^held..];
            trainIndices = trainIndices[..^held];
            validSet = training;
        }
        if (trainIndices.Length == 0) throw new ArgumentException("The training set is empty: there is nothing to learn from.", nameof(training));
        if (_options.EarlyStoppingPatience > 0 && validSet is null)
            throw new InvalidOperationException("Early stopping needs validation data: pass a validation set or set ValidationFraction.");

        int savedThreads = KernelThreads.Count;
        if (_options.Threads > 0) KernelThreads.Count = _options.Threads;
        try
        {
            return Run(training, trainIndices, validSet, validIndices, rng, progress, cancellationToken);
        }
        finally
        {
            KernelThreads.Count = savedThreads;
        }
    }

    private TrainingResult Run(Dataset training, int[] trainIndices, Dataset? validSet, int[] validIndices, Rng rng,
        IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        var history = new List<EpochReport>();
        var parameters = _network.Parameters;
        float[][]? best = null;
        float bestLoss = float.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        bool stoppedEarly = false;
        var shuffleRng = rng.Fork();

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var epochWatch = Stopwatch.StartNew();
            _optimizer.LearningRate = _options.Schedule?.RateAt(epoch - 1, BaseLearningRate) ?? BaseLearningRate;
            if (_options.Shuffle) shuffleRng.Shuffle(trainIndices);
            Array.Clear(_normSums);
            double lossSum = 0;
            long correct = 0;
            int steps = 0;
            bool hasAccuracy = true;
            var stepWatch = Stopwatch.StartNew();
            for (int start = 0; start < trainIndices.Length; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(_options.BatchSize, trainIndices.Length - start);
                Gather(training, trainIndices.AsSpan(start, count));
                float loss = TrainStep(_batchX!, _batchY.AsSpan(0, count * training.TargetSize), out int right);
                steps++;
                if (!float.IsFinite(loss)) throw new TrainingDivergedException(epoch, steps, loss);
                lossSum += loss * (double)count;
                if (right < 0) hasAccuracy = false; else correct += right;
            }
            double seconds = stepWatch.Elapsed.TotalSeconds;

            float? validLoss = null;
            double? validAccuracy = null;
            if (validSet is not null && validIndices.Length > 0)
            {
                var (vl, va) = Evaluate(validSet, validIndices);
                validLoss = vl;
                validAccuracy = va;
            }
            var norms = new double[_normSums.Length];
            for (int i = 0; i < norms.Length; i++) norms[i] = _normSums[i] / steps;
            var report = new EpochReport(epoch, _options.Epochs, (float)(lossSum / trainIndices.Length),
                hasAccuracy ? correct / (double)trainIndices.Length : null, validLoss, validAccuracy,
                _layerNames, norms, _optimizer.LearningRate, trainIndices.Length / Math.Max(seconds, 1e-9), epochWatch.Elapsed);
            history.Add(report);
            progress?.Report(report);

            if (_options.EarlyStoppingPatience > 0 && validLoss is float current)
            {
                if (current < bestLoss)
                {
                    bestLoss = current;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    best ??= parameters.Select(p => new float[p.Length]).ToArray();
                    for (int i = 0; i < parameters.Count; i++) parameters[i].Value.CopyTo(best[i], 0);
                }
                else if (++sinceBest >= _options.EarlyStoppingPatience)
                {
                    stoppedEarly = epoch < _options.Epochs;
                    break;
                }
            }
            else bestEpoch = epoch;
        }
        if (best is not null)
            for (int i = 0; i < parameters.Count; i++) best[i].CopyTo(parameters[i].Value, 0);
        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }

    /// <summary>
    /// One gradient step on a batch: forward, loss, backward, clipping, optimizer update,
    /// max-norm. Returns the batch's mean loss; <paramref name="correct"/> is the number of right
    /// predictions, or -1 for a loss without accuracy.
    /// </summary>
    public float TrainStep(Tensor inputs, ReadOnlySpan<float> targets, out int correct)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var output = _network.Forward(inputs, training: true);
        var gradient = Tensor.Ensure(ref _gradient, output.Batch, output.SampleShape);
        float loss = _network.Loss.Compute(output, targets, gradient);
        correct = _network.Loss.CountCorrect(output, targets);
        _network.Backward(gradient);
        for (int i = 0; i < _layerWeights.Length; i++)
        {
            double sq = 0;
            foreach (var p in _layerWeights[i])
            {
                float n = TensorPrimitives.Norm(p.Gradient);
                sq += (double)n * n;
            }
            _normSums[i] += Math.Sqrt(sq);
        }
        if (_options.GradientClipNorm > 0) GradientClipping.ClipByGlobalNorm(_network.Parameters, _options.GradientClipNorm);
        _optimizer.Step(_network.Parameters);
        if (_options.MaxNorm > 0) MaxNormConstraint.Apply(_network.Parameters, _options.MaxNorm);
        return loss;
    }

    /// <summary>The mean loss and the accuracy (null for regression) of the network on <paramref name="data"/>.</summary>
    public (float Loss, double? Accuracy) Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckDataset(data, nameof(data));
        return Evaluate(data, Enumerable.Range(0, data.Count).ToArray());
    }

    private (float Loss, double? Accuracy) Evaluate(Dataset data, int[] indices)
    {
        double lossSum = 0;
        long correct = 0;
        bool hasAccuracy = true;
        for (int start = 0; start < indices.Length; start += _options.BatchSize)
        {
            int count = Math.Min(_options.BatchSize, indices.Length - start);
            Gather(data, indices.AsSpan(start, count));
            var targets = _batchY.AsSpan(0, count * data.TargetSize);
            var output = _network.Forward(_batchX!, training: false);
            lossSum += _network.Loss.Compute(output, targets, null) * (double)count;
            int right = _network.Loss.CountCorrect(output, targets);
            if (right < 0) hasAccuracy = false; else correct += right;
        }
        return ((float)(lossSum / indices.Length), hasAccuracy ? correct / (double)indices.Length : null);
    }

    private void Gather(Dataset data, ReadOnlySpan<int> indices)
    {
        var x = Tensor.Ensure(ref _batchX, indices.Length, _network.InputShape);
        int t = data.TargetSize;
        if (_batchY.Length < _options.BatchSize * t) _batchY = new float[_options.BatchSize * t];
        for (int i = 0; i < indices.Length; i++)
            data.Read(indices[i], x.Row(i), _batchY.AsSpan(i * t, t));
    }

    private void CheckDataset(Dataset data, string name)
    {
        if (data.SampleShape.Size != _network.InputShape.Size)
            throw new ArgumentException($"The {name} samples have shape {data.SampleShape}; the network takes {_network.InputShape}.", name);
        int expected = _network.Loss.TargetSize(_network.OutputShape.Size);
        if (data.TargetSize != expected)
            throw new ArgumentException($"The {name} set has {data.TargetSize} target value(s) per sample; {_network.Loss} with {_network.OutputShape.Size} outputs needs {expected}.", name);
    }
}
