using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Data;

/// <summary>
/// Row-to-row form of the transformer, which PredictionEngine and TransformerChain's mapper use.
/// Every row it makes gets its own scorer, so rows may live on different threads.
/// </summary>
internal sealed class ScoringRowMapper(ScoringBinding binding, NetworkModelParameters model) : IRowToRowMapper
{
    public DataViewSchema InputSchema => binding.InputSchema;

    public DataViewSchema OutputSchema => binding.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        binding.GetDependencies(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema != binding.InputSchema)
            throw new ArgumentException("The row's schema is not the schema this mapper was made for.", nameof(input));
        var requested = activeColumns.Select(column => column.Index).ToHashSet();
        return new ScoredRow(binding, input, requested, model.CreateScorer);
    }
}
