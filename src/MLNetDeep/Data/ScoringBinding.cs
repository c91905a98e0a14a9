using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Columns;

namespace MLNetDeep.Data;

/// <summary>
/// A layout bound to one input schema: the input's columns, then the appended ones (which hide
/// input columns of the same name, as in every ML.NET transform), and where the features are.
/// </summary>
internal sealed class ScoringBinding
{
    private ScoringBinding(DataViewSchema input, DataViewSchema output, DataViewSchema.Column features, ScoreLayout layout)
    {
        InputSchema = input;
        OutputSchema = output;
        FeatureColumn = features;
        Layout = layout;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    /// <summary>The features column of the input.</summary>
    public DataViewSchema.Column FeatureColumn { get; }

    public ScoreLayout Layout { get; }

    /// <summary>Binds <paramref name="layout"/> to <paramref name="input"/>, checking the features column.</summary>
    public static ScoringBinding Bind(DataViewSchema input, string featureColumnName, int featureCount, ScoreLayout layout)
    {
        ArgumentNullException.ThrowIfNull(input);
        DataViewSchema.Column features = FindFeatures(input, featureColumnName, featureCount);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumns(layout.CreateColumns(ScoreAnnotations.NextScoreColumnSetId(input)));
        return new ScoringBinding(input, builder.ToSchema(), features, layout);
    }

    /// <summary>True when <paramref name="column"/> of the output schema is one of the appended ones.</summary>
    public bool IsAppended(DataViewSchema.Column column, out int appendedIndex)
    {
        appendedIndex = column.Index - InputSchema.Count;
        return appendedIndex >= 0;
    }

    /// <summary>The input columns that <paramref name="outputColumns"/> need.</summary>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new SortedSet<int>();
        foreach (DataViewSchema.Column column in outputColumns)
            needed.Add(IsAppended(column, out _) ? FeatureColumn.Index : column.Index);
        return needed.Select(index => InputSchema[index]).ToArray();
    }

    private static DataViewSchema.Column FindFeatures(DataViewSchema input, string name, int featureCount)
    {
        string expected = $"a known-size vector of Single of size {featureCount}";
        DataViewSchema.Column? column = input.GetColumnOrNull(name);
        if (column is null)
            throw new ArgumentOutOfRangeException(nameof(input), $"Features column '{name}' was not found; expected {expected}.");
        if (column.Value.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || vector.Size != featureCount)
            throw new ArgumentOutOfRangeException(nameof(input), $"Features column '{name}' must be {expected}; found {column.Value.Type}.");
        return column.Value;
    }
}
