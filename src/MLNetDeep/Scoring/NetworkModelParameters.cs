using System.Text;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Training;

namespace MLNetDeep;

/// <summary>
/// A trained network as a <see cref="NetworkPredictionTransformer"/> holds it: an opaque payload and the
/// factory that turns it into scorers. For a DeepNet network it also shows the network (<see cref="Layers"/>,
/// <see cref="ParameterCount"/>, <see cref="ToString"/>) and the epoch reports of the training that made it
/// (<see cref="TrainingHistory"/>), and it is what <see cref="DeepNetTrainer.Fit(Microsoft.ML.IDataView, NetworkModelParameters)"/> continues from.
/// </summary>
public sealed class NetworkModelParameters
{
    private readonly byte[] _payload;
    private readonly Lazy<Network?> _network;

    /// <summary>Creates model parameters; creates one scorer to learn and check its sizes.</summary>
    /// <param name="payload">The network in the factory's format; it is copied.</param>
    /// <param name="scorerFactory">Makes scorers from the payload; recorded by type name when a model is saved.</param>
    public NetworkModelParameters(ReadOnlySpan<byte> payload, IBatchScorerFactory scorerFactory)
    {
        ArgumentNullException.ThrowIfNull(scorerFactory);
        _payload = payload.ToArray();
        ScorerFactory = scorerFactory;
        IBatchScorer probe = scorerFactory.CreateScorer(_payload);
        if (probe.InputSize <= 0 || probe.OutputSize <= 0)
        {
            throw new ArgumentException(
                $"Scorer from {scorerFactory.GetType().Name} must have positive sizes; found {probe.InputSize} inputs and {probe.OutputSize} outputs.",
                nameof(payload));
        }
        InputSize = probe.InputSize;
        OutputSize = probe.OutputSize;
        _network = new Lazy<Network?>(() => scorerFactory is EngineScorerFactory ? NetworkSerializer.FromBytes(_payload) : null);
    }

    /// <summary>
    /// A DeepNet model of a network trained or saved with the engine alone (<c>Network.Load</c>), to put in a
    /// transformer (<see cref="NetworkPredictionTransformer.CreateMulticlass"/> and its siblings) or to continue
    /// training with <see cref="DeepNetTrainer.Fit(Microsoft.ML.IDataView, NetworkModelParameters)"/>.
    /// The network is copied; later changes to it do not reach the model.
    /// </summary>
    /// <param name="network">The network; its weights must be finite.</param>
    /// <param name="trainingHistory">The epoch reports of its training, if any.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite.</exception>
    public static NetworkModelParameters FromNetwork(Network network, IReadOnlyList<EpochReport>? trainingHistory = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new NetworkModelParameters(NetworkSerializer.ToBytes(network), new EngineScorerFactory()) { TrainingHistory = trainingHistory ?? [] };
    }

    /// <summary>
    /// The epoch reports of the training that made this model (loss, accuracy, validation, gradient norms per
    /// layer), with those of the model it continued from first; empty for a model loaded from a file, whose
    /// file keeps the network only.
    /// </summary>
    public IReadOnlyList<EpochReport> TrainingHistory { get; init; } = [];

    /// <summary>The network's layers in order, with their shapes and parameter counts; empty when the payload is not a DeepNet network.</summary>
    public IReadOnlyList<NetworkLayerSummary> Layers => _network.Value?.Layers
        .Select(l => new NetworkLayerSummary(l.ToString(), l.InputShape, l.OutputShape, TrainableValues(l))).ToArray() ?? [];

    /// <summary>A layer's trainable values, with those of the layers it contains.</summary>
    private static long TrainableValues(Engine.Layers.Layer layer) => layer.Parameters.Sum(p => (long)p.Length) + layer.Children.Sum(TrainableValues);

    /// <summary>The network's trainable values; 0 when the payload is not a DeepNet network.</summary>
    public long ParameterCount => _network.Value?.ParameterCount ?? 0;

    /// <summary>A copy of the engine network, to run or train with the engine alone; null when the payload is not a DeepNet network.</summary>
    public Network? GetNetwork() => _network.Value?.Clone();

    /// <summary>The engine network itself (not a copy), for reading; null when the payload is not a DeepNet network.</summary>
    internal Network? EngineNetwork() => _network.Value;

    /// <summary>The network: one line of input and output sizes and parameters, then a line per layer, then the last epoch's report.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"Network {InputSize} -> {OutputSize}");
        if (_network.Value is { } network)
        {
            text.Append($", {network.ParameterCount:N0} parameters, loss {network.Loss}");
            foreach (var layer in Layers) text.Append($"\n  {layer}");
        }
        else text.Append($" ({ScorerFactory.GetType().Name})");
        if (TrainingHistory.Count > 0) text.Append($"\n  trained {TrainingHistory.Count} epochs; last {TrainingHistory[^1]}");
        return text.ToString();
    }

    /// <summary>The network, in the format of <see cref="ScorerFactory"/>.</summary>
    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>Makes scorers from <see cref="Payload"/>.</summary>
    public IBatchScorerFactory ScorerFactory { get; }

    /// <summary>Number of features the network reads.</summary>
    public int InputSize { get; }

    /// <summary>Number of floats the network writes for each row.</summary>
    public int OutputSize { get; }

    /// <summary>Creates a scorer for one cursor or one prediction row; it is not thread-safe.</summary>
    /// <returns>A new scorer whose sizes match <see cref="InputSize"/> and <see cref="OutputSize"/>.</returns>
    public IBatchScorer CreateScorer()
    {
        IBatchScorer scorer = ScorerFactory.CreateScorer(_payload);
        if (scorer.InputSize != InputSize || scorer.OutputSize != OutputSize)
        {
            throw new InvalidOperationException(
                $"{ScorerFactory.GetType().Name} made a scorer of {scorer.InputSize} -> {scorer.OutputSize}; expected {InputSize} -> {OutputSize}.");
        }
        return scorer;
    }
}
