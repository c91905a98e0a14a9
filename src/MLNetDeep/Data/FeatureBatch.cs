using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Data;

/// <summary>
/// The feature rows of one batch and the network's outputs for them: reads a row's features from an input
/// row, then scores every row read at once.
/// </summary>
internal sealed class FeatureBatch
{
    private readonly IBatchScorer _scorer;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly string _featureColumnName;
    private readonly float[] _inputs;
    private readonly float[] _outputs;
    private VBuffer<float> _row;

    public FeatureBatch(IBatchScorer scorer, DataViewRow input, DataViewSchema.Column featureColumn, int capacity)
    {
        _scorer = scorer;
        _features = input.GetGetter<VBuffer<float>>(featureColumn);
        _featureColumnName = featureColumn.Name;
        _inputs = new float[capacity * scorer.InputSize];
        _outputs = new float[capacity * scorer.OutputSize];
    }

    /// <summary>Copies the input row's current features into <paramref name="slot"/>.</summary>
    public void Read(int slot)
    {
        _features(ref _row);
        int size = _scorer.InputSize;
        if (_row.Length != size)
            throw new InvalidOperationException($"Features column '{_featureColumnName}' has a row of {_row.Length} values; expected {size}.");
        _row.CopyTo(_inputs, slot * size);
    }

    /// <summary>Scores the first <paramref name="count"/> slots.</summary>
    public void Score(int count) =>
        _scorer.Score(_inputs.AsSpan(0, count * _scorer.InputSize), count, _outputs.AsSpan(0, count * _scorer.OutputSize));

    /// <summary>The outputs of <paramref name="slot"/>, valid after <see cref="Score"/>.</summary>
    public ReadOnlySpan<float> Outputs(int slot) => _outputs.AsSpan(slot * _scorer.OutputSize, _scorer.OutputSize);
}
