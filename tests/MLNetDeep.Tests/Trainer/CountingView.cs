using Microsoft.ML;

namespace MLNetDeep.Tests.Trainer;

/// <summary>A view of another that counts the passes made over it and can hide its row count, as a filtered view does.</summary>
internal sealed class CountingView(IDataView inner, bool hideRowCount = false) : IDataView
{
    public int Passes { get; private set; }

    public bool CanShuffle => false;

    public DataViewSchema Schema => inner.Schema;

    public long? GetRowCount() => hideRowCount ? null : inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        Passes++;
        return inner.GetRowCursor(columnsNeeded, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
