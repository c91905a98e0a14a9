using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Data;

/// <summary>
/// The lazy result of <see cref="NetworkPredictionTransformer.Transform"/>: the input's rows with the score
/// columns appended, computed only as cursors move.
/// </summary>
internal sealed class ScoredDataView(ScoringBinding binding, IDataView source, NetworkModelParameters model, int batchSize) : IDataView
{
    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => binding.OutputSchema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var requested = Requested(columnsNeeded);
        DataViewRowCursor input = source.GetRowCursor(InputColumns(requested), rand);
        return new ScoringCursor(binding, input, requested, model.CreateScorer, batchSize);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var requested = Requested(columnsNeeded);
        DataViewRowCursor[] inputs = source.GetRowCursorSet(InputColumns(requested), n, rand);
        return inputs.Select(input => (DataViewRowCursor)new ScoringCursor(binding, input, requested, model.CreateScorer, batchSize)).ToArray();
    }

    private static HashSet<int> Requested(IEnumerable<DataViewSchema.Column> columnsNeeded) =>
        columnsNeeded.Select(column => column.Index).ToHashSet();

    private IEnumerable<DataViewSchema.Column> InputColumns(HashSet<int> requested) =>
        binding.GetDependencies(requested.Select(index => binding.OutputSchema[index]));
}
