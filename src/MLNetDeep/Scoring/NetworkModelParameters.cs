namespace MLNetDeep;

/// <summary>
/// A trained network as a <see cref="NetworkPredictionTransformer"/> holds it: an opaque payload and the
/// factory that turns it into scorers.
/// </summary>
public sealed class NetworkModelParameters
{
    private readonly byte[] _payload;

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
