namespace MLNetDeep;

/// <summary>
/// Maps a batch of feature rows to a batch of output rows. An instance holds buffers and is used by one
/// thread at a time: every cursor and every prediction row gets its own instance from an <see cref="IBatchScorerFactory"/>.
/// </summary>
public interface IBatchScorer
{
    /// <summary>Number of features a row must have.</summary>
    int InputSize { get; }

    /// <summary>Number of floats the scorer writes for each row.</summary>
    int OutputSize { get; }

    /// <summary>
    /// Scores <paramref name="batchSize"/> rows. <paramref name="inputs"/> holds them row-major
    /// (<c>batchSize * InputSize</c> floats); <paramref name="outputs"/> receives <c>batchSize * OutputSize</c> floats.
    /// </summary>
    /// <param name="inputs">The feature rows, one after another.</param>
    /// <param name="batchSize">How many rows to score.</param>
    /// <param name="outputs">Where the output rows go, one after another.</param>
    void Score(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs);
}
