using MLNetDeep.Engine;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Training;

/// <summary>
/// The scaling a DeepNet network learns from its training rows: of the features (a <see cref="FeatureScaling"/>
/// layer first, <see cref="DeepNetOptions.InputScaling"/>) and, for regression, of the label (a FeatureScaling layer
/// last, <see cref="DeepNetOptions.StandardizeRegressionTargets"/>). The output layer is the identity while the network
/// trains on standardised targets, so training, validation, early stopping and checkpoints all work on the standard
/// scale; <see cref="Finish"/> then sets it to map the network's output back to the label's units.
/// </summary>
internal sealed class LearnedScaling
{
    /// <summary>With <see cref="DeepNetOptions.Streaming"/>, the rows the statistics are taken from.</summary>
    public const int StreamedRows = 65536;

    /// <summary>RealMLP's bound for smooth clipping of robustly scaled features.</summary>
    public const float Clip = 3f;

    private float _targetCentre, _targetScale = 1f;

    private LearnedScaling(InputScaling input, bool targets)
    {
        Input = input;
        Targets = targets;
    }

    public InputScaling Input { get; }

    /// <summary>True when the network ends in the layer that maps standardised targets back to the label's units.</summary>
    public bool Targets { get; }

    /// <summary>
    /// What the options ask for, given the task and the model a warm start continues: by default, robust scaling of a
    /// vector of features (none for images, with pre-training, or after a model that has none) and standardised
    /// regression targets (none after a model that has none, unless its output layer is replaced).
    /// </summary>
    public static LearnedScaling Plan(DeepNetOptions options, TrainingTask task, NetworkModelParameters? previous)
    {
        var before = previous?.EngineNetwork()?.Layers;
        bool previousScalesInputs = before is not null && before.Count > 0 && before[0] is FeatureScaling;
        bool previousScalesTargets = before is not null && EndsWithTargetScaling(before);
        var input = options.InputScaling
            ?? (task.Shape.Rank == 1 && options.Pretraining is null && (before is null || previousScalesInputs) ? InputScaling.RobustClipped : InputScaling.Off);
        bool targets = task.Kind == NetworkPredictionKind.Regression && options.StandardizeRegressionTargets
            && (before is null || previousScalesTargets || options.ReinitializeOutputLayer);
        return new LearnedScaling(input, targets);
    }

    /// <summary>True when <paramref name="layers"/> end with a dense output layer and the target scaling after it.</summary>
    public static bool EndsWithTargetScaling(IReadOnlyList<Layer> layers) =>
        layers.Count >= 2 && layers[^1] is FeatureScaling { Clip: 0 } && layers[^2] is Dense;

    /// <summary>The layer that goes first, if any.</summary>
    public Layer? InputLayer() => Input switch
    {
        InputScaling.Off => null,
        InputScaling.RobustClipped => new FeatureScaling(Clip),
        _ => new FeatureScaling(),
    };

    /// <summary>The layer that goes last, after the output layer, if any.</summary>
    public Layer? OutputLayer() => Targets ? new FeatureScaling() : null;

    /// <summary>
    /// Fits the input scaling on <paramref name="rows"/>, unless <paramref name="warmStarted"/> (the previous model's is
    /// kept); takes the label's mean and deviation from the rows, or from the previous model's output layer; and sets
    /// the output layer to the identity for training. Returns the rows with the targets the network trains on.
    /// </summary>
    public Dataset Prepare(Network network, Dataset rows, bool warmStarted)
    {
        if (Input != InputScaling.Off && !warmStarted)
        {
            var (centre, scale) = Input == InputScaling.Standardize ? FeatureStatistics.Standardize(rows) : FeatureStatistics.Robust(rows);
            ((FeatureScaling)network.Layers[0]).SetStatistics(centre, scale);
        }
        if (!Targets) return rows;
        var output = (FeatureScaling)network.Layers[^1];
        if (warmStarted && (output.Scale[0] != 1f || output.Centre[0] != 0f))
        {
            (_targetCentre, _targetScale) = (output.Centre[0], output.Scale[0]);
        }
        else
        {
            var (mean, deviation) = FeatureStatistics.Targets(rows);
            (_targetCentre, _targetScale) = ((float)(-mean / deviation), (float)deviation);
        }
        output.SetStatistics([0f], [1f]);
        return Standardized(rows)!;
    }

    /// <summary>
    /// Prepares another member of an ensemble (<see cref="DeepNetOptions.EnsembleSize"/>) as <see cref="Prepare"/> prepared
    /// <paramref name="first"/>: the same input statistics, and the output layer the identity for training.
    /// </summary>
    public void PrepareLike(Network member, Network first)
    {
        if (Input != InputScaling.Off)
        {
            var scaling = (FeatureScaling)first.Layers[0];
            ((FeatureScaling)member.Layers[0]).SetStatistics(scaling.Centre, scaling.Scale);
        }
        if (Targets) ((FeatureScaling)member.Layers[^1]).SetStatistics([0f], [1f]);
    }

    /// <summary>The same rows a streamed run's statistics are taken from: the first <see cref="StreamedRows"/>.</summary>
    public static Dataset Sample(SampleStream stream)
    {
        int size = stream.SampleShape.Size;
        var features = new List<float>();
        var targets = new List<float>();
        var x = new float[size];
        var t = new float[stream.TargetSize];
        using (var cursor = stream.Open())
        {
            while (targets.Count < StreamedRows * t.Length && cursor.MoveNext(x, t, out _))
            {
                features.AddRange(x);
                targets.AddRange(t);
            }
        }
        if (targets.Count == 0) throw new InvalidOperationException("The training data has no labelled rows: there is nothing to learn from.");
        return new InMemoryDataset([.. features], [.. targets], stream.SampleShape, stream.TargetSize);
    }

    /// <summary>A data set with the targets the network trains on (validation data, too), or null for null.</summary>
    public Dataset? Standardized(Dataset? rows) => rows is null || !Targets ? rows : new StandardizedTargets(rows, _targetCentre, _targetScale);

    /// <summary>A stream with the targets the network trains on.</summary>
    public SampleStream Standardized(SampleStream rows) => Targets ? StandardizedTargets.Of(rows, _targetCentre, _targetScale) : rows;

    /// <summary>After training: the output layer maps the network's standardised output to the label's units.</summary>
    public void Finish(Network network)
    {
        if (Targets) ((FeatureScaling)network.Layers[^1]).SetStatistics([_targetCentre], [_targetScale]);
    }

    /// <summary>
    /// The reports of a run on standardised targets, with the losses in the label's units (the mean squared error
    /// times the label's variance), as ML.NET's evaluator would find them; the accuracy-free rest as it is.
    /// </summary>
    public IProgress<EpochReport> Reporting(IProgress<EpochReport> progress) => Targets ? new LabelUnits(progress, this) : progress;

    /// <summary>The result with its history in the label's units (see <see cref="Reporting"/>).</summary>
    public TrainingResult InLabelUnits(TrainingResult result) => Targets ? result with { History = [.. result.History.Select(InLabelUnits)] } : result;

    private EpochReport InLabelUnits(EpochReport report)
    {
        float variance = _targetScale * _targetScale;
        return report with { TrainingLoss = report.TrainingLoss * variance, ValidationLoss = report.ValidationLoss * variance };
    }

    /// <summary>What the log says of it.</summary>
    public string Describe() =>
        (Input == InputScaling.Off ? "" : $", inputs scaled ({Input})") + (Targets ? $", label standardised (mean {-_targetCentre * _targetScale:G6}, deviation {_targetScale:G6})" : "");

    private sealed class LabelUnits(IProgress<EpochReport> inner, LearnedScaling scaling) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => inner.Report(scaling.InLabelUnits(value));
    }
}
