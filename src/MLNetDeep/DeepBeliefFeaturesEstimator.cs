using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Internal;
using MLNetDeep.Training;

namespace MLNetDeep;

/// <summary>
/// An unsupervised featurizer: <see cref="Fit"/> pre-trains a deep belief network (a stack of RBMs trained
/// greedily, as scikit-learn's BernoulliRBM for one layer) on an input vector column and returns a
/// <see cref="NetworkPredictionTransformer"/> that appends the top RBM's hidden probabilities p(h | v) as a
/// known-size vector of Single. Create it with <c>mlContext.Transforms.DeepBeliefFeatures(...)</c>.
/// </summary>
public sealed class DeepBeliefFeaturesEstimator : IEstimator<NetworkPredictionTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly int[] _hiddenLayerSizes;

    internal DeepBeliefFeaturesEstimator(IHostEnvironment env, string outputColumnName, string inputColumnName,
        int[] hiddenLayerSizes, PretrainingOptions options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        ArgumentNullException.ThrowIfNull(hiddenLayerSizes);
        ArgumentNullException.ThrowIfNull(options);
        if (hiddenLayerSizes.Length == 0)
            throw new ArgumentOutOfRangeException(nameof(hiddenLayerSizes), "Give at least one hidden layer size.");
        foreach (int size in hiddenLayerSizes)
            if (size < 1) throw new ArgumentOutOfRangeException(nameof(hiddenLayerSizes), size, "Every hidden layer needs at least one unit.");
        options.Validate();
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _hiddenLayerSizes = [.. hiddenLayerSizes];
        Options = options;
    }

    /// <summary>The appended column: the top layer's hidden probabilities.</summary>
    public string OutputColumnName { get; }

    /// <summary>The column the network reads: a known-size vector of Single.</summary>
    public string InputColumnName { get; }

    /// <summary>The hidden units of each RBM, input side first; the last is the size of the output vector.</summary>
    public IReadOnlyList<int> HiddenLayerSizes => _hiddenLayerSizes;

    /// <summary>How every RBM is trained.</summary>
    public PretrainingOptions Options { get; }

    /// <summary>Pre-trains the network on every row of <paramref name="input"/>; progress goes to the MLContext log.</summary>
    /// <param name="input">The training data; the input column must hold finite values.</param>
    /// <returns>The transformer that appends the features.</returns>
    public NetworkPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Options.Validate();
        int visible = TrainingData.FeatureShape(input.Schema, InputColumnName).Size;
        var data = TrainingData.ReadFeatures(input, InputColumnName, TensorShape.Vector(visible));
        DeepBeliefNetwork network;
        using (var channel = _env.Start("DeepBeliefFeatures"))
        {
            var progress = new ChannelProgress<RbmEpochReport>(channel, null);
            progress.Info($"DeepBeliefFeatures: pre-training {visible} -> {string.Join(" -> ", _hiddenLayerSizes)} on {data.Count} rows of '{InputColumnName}'.");
            network = DeepBeliefNetwork.Pretrain(data, _hiddenLayerSizes, Options, progress);
        }
        var model = new NetworkModelParameters(DeepBeliefScorerFactory.CreatePayload(network), new DeepBeliefScorerFactory());
        return NetworkPredictionTransformer.CreateFeatureExtractor(_env, model, InputColumnName, OutputColumnName);
    }

    /// <summary>The schema <see cref="Fit"/>'s transformer will produce: the input with the output vector appended.</summary>
    /// <param name="inputSchema">The input shape; it must have the input column, a known-size vector of Single.</param>
    /// <returns>The output shape.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        NetworkPredictionSchemaShape.AppendFeatureVector(inputSchema, InputColumnName, OutputColumnName);
}
