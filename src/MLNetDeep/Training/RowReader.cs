using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Training;

/// <summary>
/// One pass over the rows of a DeepNet task's data: each labelled row's features, target and example weight,
/// checked (a missing label skips the row; NaN or infinite features, a label out of range or a bad weight raise
/// an exception naming the column and the row). Holds one row at a time.
/// </summary>
internal sealed class RowReader : IDisposable
{
    private readonly TrainingTask _task;
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly TrainingTask.TargetReader _target;
    private readonly ValueGetter<float>? _weight;
    private readonly CancellationToken _cancellationToken;
    private VBuffer<float> _buffer;
    private float _weightValue;

    /// <summary>Opens a pass; with <paramref name="targetsOnly"/>, a cheap one over the label column alone, for <see cref="MoveNextTarget"/>.</summary>
    public RowReader(IDataView data, TrainingTask task, CancellationToken cancellationToken, bool targetsOnly = false)
    {
        _task = task;
        _cancellationToken = cancellationToken;
        var schema = data.Schema;
        var columns = new List<DataViewSchema.Column> { schema[task.LabelName] };
        if (!targetsOnly)
        {
            columns.Add(schema[task.FeatureName]);
            if (task.WeightName is { } weight) columns.Add(schema[weight]);
        }
        _cursor = data.GetRowCursor(columns);
        _target = task.TargetGetter(_cursor);
        _features = targetsOnly ? (ref VBuffer<float> _) => throw new InvalidOperationException("This pass reads the labels only.") : _cursor.GetGetter<VBuffer<float>>(schema[task.FeatureName]);
        if (!targetsOnly && task.WeightName is { } w) _weight = _cursor.GetGetter<float>(schema[w]);
    }

    /// <summary>The source rows read so far, labelled or not.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Writes the next labelled row's features (<see cref="TrainingTask.Shape"/>'s size) and returns its target and weight (1 without a weight column).</summary>
    public bool MoveNext(Span<float> features, out float target, out float weight)
    {
        while (_cursor.MoveNext())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            long row = RowsRead++;
            if (!_target(row, out target)) continue;
            weight = ReadWeight(row);
            _features(ref _buffer);
            TrainingData.CopyFeatures(_buffer, features, row, _task.FeatureName);
            return true;
        }
        target = weight = 0;
        return false;
    }

    /// <summary>Reads the next labelled row's target only (a counting pass); the features are not read.</summary>
    public bool MoveNextTarget(out float target)
    {
        while (_cursor.MoveNext())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (_target(RowsRead++, out target)) return true;
        }
        target = 0;
        return false;
    }

    private float ReadWeight(long row)
    {
        if (_weight is null) return 1f;
        _weight(ref _weightValue);
        if (!(_weightValue >= 0) || float.IsInfinity(_weightValue))
            throw new InvalidOperationException($"Row {row}: weight column '{_task.WeightName}' holds {_weightValue}; example weights must be finite and not negative.");
        return _weightValue;
    }

    public void Dispose() => _cursor.Dispose();
}
