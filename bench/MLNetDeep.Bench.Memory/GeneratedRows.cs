using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Bench.Memory;

/// <summary>
/// An IDataView of synthetic rows made on the fly from their index, never held: Features (a vector of Single) and a
/// Single Label that a linear model can learn. Every pass gives the same rows; the row count is known.
/// </summary>
internal sealed class GeneratedRows(long rows, int features) : IDataView
{
    public long Rows => rows;

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; } = MakeSchema(features);

    public long? GetRowCount() => rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];

    private static DataViewSchema MakeSchema(int features)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, features));
        builder.AddColumn("Label", NumberDataViewType.Single);
        return builder.ToSchema();
    }

    private sealed class Cursor(GeneratedRows view, IEnumerable<DataViewSchema.Column> active) : DataViewRowCursor
    {
        private readonly HashSet<int> _active = [.. active.Select(c => c.Index)];
        private readonly float[] _values = new float[((VectorDataViewType)view.Schema[0].Type).Size];
        private long _position = -1;
        private float _label;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (_position + 1 >= view.Rows) return false;
            _position++;
            // A small xorshift seeded by the row: the same values on every pass, nothing kept between rows.
            ulong state = (ulong)_position * 0x9E3779B97F4A7C15UL + 1;
            float label = 0;
            for (int j = 0; j < _values.Length; j++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                _values[j] = (state >> 40) * (1f / (1 << 24)) - 0.5f;
                if (j < 8) label += (j % 2 == 0 ? 1f : -1f) * _values[j];
            }
            _label = label;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == 0)
            {
                ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, _values.Length);
                    _values.CopyTo(editor.Values);
                    value = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)features;
            }
            ValueGetter<float> label = (ref float value) => value = _label;
            return (ValueGetter<TValue>)(Delegate)label;
        }
    }
}
