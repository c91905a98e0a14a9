using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Columns;

/// <summary>
/// The columns one task appends (names, types, annotations) and how each is computed from the network's outputs.
/// </summary>
internal abstract class ScoreLayout
{
    protected ScoreLayout(IReadOnlyList<string> columnNames, int expectedColumnCount)
    {
        if (columnNames.Count != expectedColumnCount || columnNames.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{GetType().Name} needs {expectedColumnCount} non-empty column names.", nameof(columnNames));
        ColumnNames = columnNames.ToArray();
    }

    /// <summary>The task.</summary>
    public abstract NetworkPredictionKind Kind { get; }

    /// <summary>How many floats a row of network output must have.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The appended columns, in order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The label's key values (multiclass only).</summary>
    public virtual LabelKeyValues? LabelValues => null;

    /// <summary>The appended columns with their types and annotations.</summary>
    public abstract IEnumerable<DataViewSchema.DetachedColumn> CreateColumns(uint scoreColumnSetId);

    /// <summary>A getter (a <c>ValueGetter</c> of the column's raw type) for appended column <paramref name="index"/>.</summary>
    public abstract Delegate CreateGetter(int index, IScoreSource source);

    /// <summary>Creates the layout for <paramref name="kind"/> with the given names and label values.</summary>
    public static ScoreLayout Create(NetworkPredictionKind kind, int outputSize, IReadOnlyList<string> columnNames, LabelKeyValues? labels) => kind switch
    {
        NetworkPredictionKind.MulticlassClassification => new MulticlassScoreLayout(outputSize, labels, columnNames),
        NetworkPredictionKind.BinaryClassification => new BinaryScoreLayout(columnNames),
        NetworkPredictionKind.Regression => new RegressionScoreLayout(columnNames),
        NetworkPredictionKind.FeatureExtraction => new FeatureVectorLayout(outputSize, columnNames),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind."),
    };

    /// <summary>Copies a row's outputs into a vector value, reusing its buffer when it is large enough.</summary>
    protected static void CopyOutputs(ReadOnlySpan<float> outputs, ref VBuffer<float> vector)
    {
        var editor = VBufferEditor.Create(ref vector, outputs.Length);
        outputs.CopyTo(editor.Values);
        vector = editor.Commit();
    }
}
