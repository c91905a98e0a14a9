using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetDeep.Columns;
using MLNetDeep.Data;
using MLNetDeep.Persistence;

namespace MLNetDeep;

/// <summary>
/// Appends the columns of ML.NET's scorer for a task (PredictedLabel, Score, Probability) computed by a
/// network from a features column, or (<see cref="NetworkPredictionKind.FeatureExtraction"/>) the network's
/// outputs as one feature vector. Transform is lazy and scores rows in batches; every cursor and every
/// prediction row has its own scorer, so parallel cursors and one PredictionEngine per thread are safe.
/// Saved with <c>MLContext.Model.Save</c> (or <see cref="ModelFileCatalog.SaveAtomic"/>, which never leaves a partial
/// file) and loaded with plain <c>MLContext.Model.Load</c>; <see cref="ModelFileCatalog"/> lists what a damaged file raises.
/// </summary>
public sealed partial class NetworkPredictionTransformer : ISingleFeaturePredictionTransformer<NetworkModelParameters>
{
    /// <summary>How many rows a cursor reads ahead and scores at once.</summary>
    internal const int DefaultBatchSize = 128;

    private readonly IHost _host;
    private readonly ScoreLayout _layout;

    private NetworkPredictionTransformer(IHostEnvironment env, NetworkModelParameters model, string featureColumnName, ScoreLayout layout)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureColumnName);
        if (layout.OutputSize != model.OutputSize)
        {
            throw new ArgumentException(
                $"{layout.Kind} needs a network with {layout.OutputSize} outputs; this one has {model.OutputSize}.", nameof(model));
        }
        _host = env.Register(nameof(NetworkPredictionTransformer));
        _layout = layout;
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.InputSize);
    }

    /// <summary>The network and its scorer factory.</summary>
    public NetworkModelParameters Model { get; }

    /// <summary>The input column the network reads: a vector of <see cref="NetworkModelParameters.InputSize"/> floats.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The type the features column must have.</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>Which task's columns (or the feature vector) are appended.</summary>
    public NetworkPredictionKind Kind => _layout.Kind;

    /// <summary>The names of the appended columns, in order.</summary>
    public IReadOnlyList<string> OutputColumnNames => _layout.ColumnNames;

    /// <summary>Always true: the transformer maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>How many rows a cursor scores at once; settable for tests.</summary>
    internal int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>
    /// A transformer that appends PredictedLabel and Score for a network with one output per class.
    /// </summary>
    /// <param name="env">The ML.NET environment, usually the <see cref="MLContext"/>.</param>
    /// <param name="model">The network; its output count is the class count.</param>
    /// <param name="featureColumnName">The features column.</param>
    /// <param name="labelColumn">
    /// The training label (a key column), whose key values PredictedLabel and Score carry; null for none.
    /// </param>
    /// <returns>The transformer.</returns>
    public static NetworkPredictionTransformer CreateMulticlass(
        IHostEnvironment env, NetworkModelParameters model, string featureColumnName, DataViewSchema.Column? labelColumn)
    {
        ArgumentNullException.ThrowIfNull(model);
        LabelKeyValues? labels = null;
        if (labelColumn is { } label)
        {
            if (label.Type is KeyDataViewType key && key.Count != (ulong)model.OutputSize)
            {
                throw new ArgumentOutOfRangeException(nameof(labelColumn),
                    $"Label column '{label.Name}' has {key.Count} classes but the network has {model.OutputSize} outputs.");
            }
            labels = LabelKeyValues.FromColumn(label);
        }
        var layout = new MulticlassScoreLayout(model.OutputSize, labels, MulticlassScoreLayout.DefaultNames);
        return new NetworkPredictionTransformer(env, model, featureColumnName, layout);
    }

    /// <summary>A transformer that appends PredictedLabel, Score and Probability for a network with one output, a logit.</summary>
    /// <param name="env">The ML.NET environment, usually the <see cref="MLContext"/>.</param>
    /// <param name="model">The network.</param>
    /// <param name="featureColumnName">The features column.</param>
    /// <returns>The transformer.</returns>
    public static NetworkPredictionTransformer CreateBinary(IHostEnvironment env, NetworkModelParameters model, string featureColumnName) =>
        new(env, model, featureColumnName, new BinaryScoreLayout(BinaryScoreLayout.DefaultNames));

    /// <summary>A transformer that appends Score for a network with one output.</summary>
    /// <param name="env">The ML.NET environment, usually the <see cref="MLContext"/>.</param>
    /// <param name="model">The network.</param>
    /// <param name="featureColumnName">The features column.</param>
    /// <returns>The transformer.</returns>
    public static NetworkPredictionTransformer CreateRegression(IHostEnvironment env, NetworkModelParameters model, string featureColumnName) =>
        new(env, model, featureColumnName, new RegressionScoreLayout(RegressionScoreLayout.DefaultNames));

    /// <summary>
    /// A transformer that appends every output of the network as one known-size vector of Single, with no
    /// score annotations: a learned featurizer such as <c>DeepBeliefFeatures</c>.
    /// </summary>
    /// <param name="env">The ML.NET environment, usually the <see cref="MLContext"/>.</param>
    /// <param name="model">The network; its output count is the vector's size.</param>
    /// <param name="inputColumnName">The column the network reads.</param>
    /// <param name="outputColumnName">The appended column; it hides an input column of the same name.</param>
    /// <returns>The transformer.</returns>
    public static NetworkPredictionTransformer CreateFeatureExtractor(
        IHostEnvironment env, NetworkModelParameters model, string inputColumnName, string outputColumnName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        return new(env, model, inputColumnName, new FeatureVectorLayout(model.OutputSize, [outputColumnName]));
    }

    /// <summary>The schema <see cref="Transform"/> gives for <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The input schema; it must have the features column.</param>
    /// <returns>The input columns followed by the appended ones.</returns>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Bind(inputSchema).OutputSchema;

    /// <summary>Appends the columns, lazily: nothing is scored until a cursor moves.</summary>
    /// <param name="input">The data; it must have the features column.</param>
    /// <returns>A view of <paramref name="input"/> with the columns appended.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ExportableToOnnx(new ScoredDataView(Bind(input.Schema), input, Model, BatchSize), input);
    }

    /// <summary>The row-to-row form, which PredictionEngine uses.</summary>
    /// <param name="inputSchema">The input schema; it must have the features column.</param>
    /// <returns>A mapper whose rows score one row at a time.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new ScoringRowMapper(Bind(inputSchema), Model);

    /// <summary>Everything a saved model holds.</summary>
    internal TransformerState ToState() => new(
        FeatureColumnName, Kind, Model.InputSize, Model.OutputSize, [.. _layout.ColumnNames], _layout.LabelValues,
        ScorerFactoryNames.NameOf(Model.ScorerFactory), Model.Payload.ToArray());

    /// <summary>Rebuilds a transformer from what <see cref="ToState"/> gave.</summary>
    /// <exception cref="InvalidDataException">The state does not describe a valid transformer: the payload is damaged, or the sizes, names and task disagree.</exception>
    internal static NetworkPredictionTransformer FromState(IHostEnvironment env, TransformerState state)
    {
        NetworkPredictionTransformer transformer;
        NetworkModelParameters model;
        try
        {
            model = new NetworkModelParameters(state.Payload, ScorerFactoryNames.Create(state.ScorerFactoryName));
            if (model.InputSize != state.InputSize || model.OutputSize != state.OutputSize)
            {
                throw new InvalidDataException(
                    $"The model was saved for a {state.InputSize} -> {state.OutputSize} network; its payload gives {model.InputSize} -> {model.OutputSize}.");
            }
            var layout = ScoreLayout.Create(state.Kind, model.OutputSize, state.ColumnNames, state.Labels);
            transformer = new NetworkPredictionTransformer(env, model, state.FeatureColumnName, layout);
        }
        catch (ArgumentException e)
        {
            // The constructors' checks on sizes, names and kinds: in a loaded model, a sign of damage.
            throw new InvalidDataException($"The model's DeepNet state is inconsistent: {e.Message}", e);
        }
        transformer.Log($"Loaded a {state.Kind} network: {model.InputSize} features from '{state.FeatureColumnName}', {model.OutputSize} outputs.");
        return transformer;
    }

    private ScoringBinding Bind(DataViewSchema inputSchema) => ScoringBinding.Bind(inputSchema, FeatureColumnName, Model.InputSize, _layout);

    private void Log(string message)
    {
        using IChannel channel = _host.Start(nameof(NetworkPredictionTransformer));
        channel.Info(MessageSensitivity.None, "{0}", message);
    }
}
