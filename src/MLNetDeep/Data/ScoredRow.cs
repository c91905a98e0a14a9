using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Columns;

namespace MLNetDeep.Data;

/// <summary>
/// One input row with the score columns appended, for <see cref="ScoringRowMapper"/> (and so for
/// PredictionEngine): it scores a batch of one, when a score is first asked for at a new input position.
/// </summary>
internal sealed class ScoredRow : DataViewRow, IScoreSource
{
    private readonly ScoringBinding _binding;
    private readonly DataViewRow _input;
    private readonly bool[] _activeAppended;
    private readonly IBatchScorer? _scorer;
    private FeatureBatch? _batch;
    private long _scoredPosition = -1;

    public ScoredRow(ScoringBinding binding, DataViewRow input, IReadOnlySet<int> requested, Func<IBatchScorer> createScorer)
    {
        _binding = binding;
        _input = input;
        _activeAppended = binding.Layout.ColumnNames.Select((_, i) => requested.Contains(binding.InputSchema.Count + i)).ToArray();
        if (_activeAppended.Any(active => active))
            _scorer = createScorer();
    }

    public override DataViewSchema Schema => _binding.OutputSchema;

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public ReadOnlySpan<float> CurrentOutputs
    {
        get
        {
            _batch ??= new FeatureBatch(_scorer!, _input, _binding.FeatureColumn, capacity: 1);
            if (_scoredPosition != _input.Position)
            {
                _batch.Read(0);
                _batch.Score(1);
                _scoredPosition = _input.Position;
            }
            return _batch.Outputs(0);
        }
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        _binding.IsAppended(column, out int appended) ? _activeAppended[appended] : _input.IsColumnActive(_binding.InputSchema[column.Index]);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_binding.IsAppended(column, out int appended))
            return _input.GetGetter<TValue>(_binding.InputSchema[column.Index]);
        Getters.CheckActive(_activeAppended[appended], column);
        return Getters.Cast<TValue>(_binding.Layout.CreateGetter(appended, this), column);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            (_scorer as IDisposable)?.Dispose();
        base.Dispose(disposing);
    }
}
