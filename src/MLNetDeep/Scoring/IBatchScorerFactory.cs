namespace MLNetDeep;

/// <summary>
/// Turns a model payload (an opaque byte array in the factory's own format) into scorers.
/// </summary>
/// <remarks>
/// A saved model records the factory by type name and recreates it when loaded, so an implementation
/// must have a parameterless constructor and keep no state of its own: everything lives in the payload.
/// <see cref="CreateScorer"/> is called from several threads at once (one call per cursor), so it must
/// only read the payload.
/// </remarks>
public interface IBatchScorerFactory
{
    /// <summary>Creates a new, independent scorer for <paramref name="payload"/>.</summary>
    /// <param name="payload">The bytes that describe the model.</param>
    /// <returns>A scorer that only its caller uses.</returns>
    IBatchScorer CreateScorer(ReadOnlyMemory<byte> payload);
}
