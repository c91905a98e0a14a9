using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Columns;

namespace MLNetDeep.Data;

/// <summary>
/// Wraps an input cursor and appends the score columns, scoring rows in batches.
/// </summary>
/// <remarks>
/// To score a batch the cursor reads up to <c>batchSize</c> rows ahead of the row it serves, so the input
/// cursor is no longer on that row. It therefore batches only when it can keep every input column the
/// consumer asked for: it copies those values (and each row's id and batch) into per-row caches while
/// reading ahead. When an asked-for column has a type it cannot copy safely, it falls back to batches of
/// one row and serves input columns straight from the input cursor, which is then on the right row.
/// Each cursor owns its scorer and buffers, so the cursors of a set can run on different threads.
/// </remarks>
internal sealed class ScoringCursor : DataViewRowCursor, IScoreSource
{
    private readonly ScoringBinding _binding;
    private readonly DataViewRowCursor _input;
    private readonly IBatchScorer? _scorer;
    private readonly FeatureBatch? _batch;
    private readonly bool[] _activeAppended;
    private readonly Dictionary<int, ColumnCache>? _caches;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private readonly DataViewRowId[] _ids;
    private readonly long[] _batchIds;
    private readonly int _capacity;
    private int _count;
    private int _slot = -1;
    private long _position = -1;

    public ScoringCursor(ScoringBinding binding, DataViewRowCursor input, IReadOnlySet<int> requested, Func<IBatchScorer> createScorer, int batchSize)
    {
        _binding = binding;
        _input = input;
        _inputId = input.GetIdGetter();
        _activeAppended = binding.Layout.ColumnNames.Select((_, i) => requested.Contains(binding.InputSchema.Count + i)).ToArray();
        var passthrough = requested.Where(index => index < binding.InputSchema.Count).Select(index => binding.InputSchema[index]).ToArray();
        bool scoring = _activeAppended.Any(active => active);
        bool cacheable = passthrough.All(column => ColumnCache.CanCache(column.Type));
        _capacity = scoring && cacheable ? Math.Max(1, batchSize) : 1;
        if (_capacity > 1)
            _caches = passthrough.ToDictionary(column => column.Index, column => ColumnCache.Create(input, column, _capacity));
        _ids = new DataViewRowId[_capacity];
        _batchIds = new long[_capacity];
        if (scoring)
        {
            _scorer = createScorer();
            _batch = new FeatureBatch(_scorer, input, binding.FeatureColumn, _capacity);
        }
    }

    public override DataViewSchema Schema => _binding.OutputSchema;

    public override long Position => _position;

    public override long Batch => _caches is null ? _input.Batch : _batchIds[Math.Clamp(_slot, 0, _capacity - 1)];

    public ReadOnlySpan<float> CurrentOutputs => _batch!.Outputs(_slot);

    public override bool MoveNext()
    {
        if (_slot + 1 < _count)
        {
            _slot++;
            _position++;
            return true;
        }
        if (!ReadBatch())
            return false;
        _slot = 0;
        _position++;
        return true;
    }

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        if (_binding.IsAppended(column, out int appended))
            return _activeAppended[appended];
        return _caches is null ? _input.IsColumnActive(_binding.InputSchema[column.Index]) : _caches.ContainsKey(column.Index);
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (_binding.IsAppended(column, out int appended))
        {
            Getters.CheckActive(_activeAppended[appended], column);
            return Getters.Cast<TValue>(_binding.Layout.CreateGetter(appended, this), column);
        }
        if (_caches is null)
            return _input.GetGetter<TValue>(_binding.InputSchema[column.Index]);
        Getters.CheckActive(_caches.TryGetValue(column.Index, out ColumnCache? cache), column);
        return Getters.Cast<TValue>(cache!.CreateGetter(() => _slot), column);
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        _caches is null ? _inputId : (ref DataViewRowId id) => id = _ids[_slot];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            (_scorer as IDisposable)?.Dispose();
        }
        base.Dispose(disposing);
    }

    private bool ReadBatch()
    {
        _count = 0;
        while (_count < _capacity && _input.MoveNext())
        {
            if (_caches is not null)
            {
                _inputId(ref _ids[_count]);
                _batchIds[_count] = _input.Batch;
                foreach (ColumnCache cache in _caches.Values)
                    cache.Store(_count);
            }
            _batch?.Read(_count);
            _count++;
        }
        if (_count == 0)
            return false;
        _batch?.Score(_count);
        return true;
    }
}
