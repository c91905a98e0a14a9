using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Training;

/// <summary>
/// Reads the features and label columns of an IDataView into memory for the engine, checking
/// every value: rows with a missing label are skipped (as ML.NET's trainers do); NaN or infinite
/// features, or a label out of range, raise an exception naming the column and the row.
/// </summary>
internal static class TrainingData
{
    /// <summary>The shape of one sample: the column's dimensions when it has more than one, else a flat vector.</summary>
    public static TensorShape FeatureShape(DataViewSchema schema, string featureColumn)
    {
        var column = schema.GetColumnOrNull(featureColumn)
            ?? throw new ArgumentOutOfRangeException(nameof(featureColumn), $"Features column '{featureColumn}' not found; the data has columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || n != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(featureColumn), $"Features column '{featureColumn}' must be a known-size vector of Single; found {column.Type}.");
        if (!vector.IsKnownSize)
            throw new ArgumentOutOfRangeException(nameof(featureColumn), $"Features column '{featureColumn}' must be a vector of known size; found a vector of unknown size. Concatenate or resize it first.");
        var dims = vector.Dimensions.ToArray();
        return dims.Length > 1 && dims.All(d => d > 0) ? new TensorShape(dims) : TensorShape.Vector(vector.Size);
    }

    /// <summary>
    /// Reads (features, target) pairs; <paramref name="readLabel"/> decides the target and whether the row counts.
    /// <paramref name="cancellationToken"/> is checked at every row: reading a large view can take as long as an epoch.
    /// </summary>
    public static InMemoryDataset Read<TLabel>(IDataView data, string featureColumn, string labelColumn, TensorShape shape,
        LabelReader<TLabel> readLabel, CancellationToken cancellationToken = default)
    {
        var features = data.Schema[featureColumn];
        var label = data.Schema[labelColumn];
        var x = new List<float>();
        var y = new List<float>();
        int size = shape.Size;
        long rowCount;
        using (var cursor = data.GetRowCursor([features, label]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            var getLabel = cursor.GetGetter<TLabel>(label);
            VBuffer<float> buffer = default;
            TLabel value = default!;
            long row = -1;
            while (cursor.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                row++;
                getLabel(ref value);
                if (!readLabel(value, row, out float target)) continue;
                getFeatures(ref buffer);
                AppendFeatures(x, buffer, size, row, featureColumn);
                y.Add(target);
            }
            rowCount = row + 1;
        }
        if (y.Count == 0)
        {
            throw new InvalidOperationException(rowCount == 0
                ? $"The training data has no rows: there is nothing to learn from (columns '{featureColumn}' and '{labelColumn}' were read)."
                : $"None of the {rowCount} rows of the training data has a label in column '{labelColumn}' (every one is missing): there is nothing to learn from.");
        }
        return new InMemoryDataset(x.ToArray(), y.ToArray(), shape);
    }

    /// <summary>Reads every row's features, for unsupervised training; the targets are zeros.</summary>
    public static InMemoryDataset ReadFeatures(IDataView data, string featureColumn, TensorShape shape)
    {
        var features = data.Schema[featureColumn];
        var x = new List<float>();
        using (var cursor = data.GetRowCursor([features]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            VBuffer<float> buffer = default;
            long row = -1;
            while (cursor.MoveNext())
            {
                getFeatures(ref buffer);
                AppendFeatures(x, buffer, shape.Size, ++row, featureColumn);
            }
        }
        if (x.Count == 0)
            throw new InvalidOperationException($"The training data has no rows in column '{featureColumn}': there is nothing to learn from.");
        return new InMemoryDataset(x.ToArray(), new float[x.Count / shape.Size], shape);
    }

    /// <summary>Appends one row's features to <paramref name="x"/>, checking their count and that every value is finite.</summary>
    private static void AppendFeatures(List<float> x, in VBuffer<float> buffer, int size, long row, string featureColumn)
    {
        if (buffer.Length != size)
            throw new InvalidOperationException($"Row {row}: features column '{featureColumn}' has {buffer.Length} values; expected {size}.");
        int start = x.Count;
        x.AddRange(new float[size]);
        var dense = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(x).Slice(start, size);
        buffer.CopyTo(dense);
        for (int i = 0; i < size; i++)
            if (!float.IsFinite(dense[i]))
                throw new InvalidOperationException($"Row {row}: features column '{featureColumn}' holds {dense[i]} at slot {i}; training needs finite values (replace missing values first, e.g. with ReplaceMissingValues).");
    }

    /// <summary>Converts a label to the engine's target; false skips the row (missing label).</summary>
    public delegate bool LabelReader<TLabel>(TLabel label, long row, out float target);

    /// <summary>The number of classes of a key label column, or an exception naming it.</summary>
    public static int ClassCount(DataViewSchema schema, string labelColumn)
    {
        var column = LabelColumn(schema, labelColumn);
        if (column.Type is not KeyDataViewType key || key.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(labelColumn), $"Label column '{labelColumn}' must be a key type for multiclass classification; found {column.Type}. Map it with MapValueToKey first.");
        if (key.Count > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(labelColumn), $"Label column '{labelColumn}' has {key.Count} classes; at most 1,000,000 are supported.");
        return (int)key.Count;
    }

    /// <summary>The label column, checked to be of <paramref name="expected"/> type when given.</summary>
    public static DataViewSchema.Column LabelColumn(DataViewSchema schema, string labelColumn, DataViewType? expected = null, string? task = null)
    {
        var column = schema.GetColumnOrNull(labelColumn)
            ?? throw new ArgumentOutOfRangeException(nameof(labelColumn), $"Label column '{labelColumn}' not found; the data has columns: {string.Join(", ", schema.Select(c => c.Name))}.");
        if (expected is not null && !column.Type.Equals(expected))
            throw new ArgumentOutOfRangeException(nameof(labelColumn), $"Label column '{labelColumn}' must be {expected} for {task}; found {column.Type}.");
        return column;
    }
}
