using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Training;

/// <summary>
/// Reads the rows of an IDataView into memory for the engine, straight into their final arrays: sized from the
/// view's row count when it knows it, else from a first pass over the label column, so reading peaks at the data
/// itself plus its targets and weights. Every value is checked: rows with a missing label are skipped (as
/// ML.NET's trainers do); NaN or infinite features, or a label out of range, raise an exception naming the
/// column and the row.
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
    /// The shape of one sample of <paramref name="featureColumn"/> as the network reads it: <paramref name="imageShape"/>
    /// ([channels, height, width], <see cref="DeepNetOptions.ImageShape"/>) when given, which must hold as many values as
    /// the column; else <see cref="FeatureShape(DataViewSchema, string)"/>.
    /// </summary>
    public static TensorShape FeatureShape(DataViewSchema schema, string featureColumn, int[]? imageShape)
    {
        var shape = FeatureShape(schema, featureColumn);
        if (imageShape is null) return shape;
        var image = TensorShape.Image(imageShape[0], imageShape[1], imageShape[2]);
        if (image.Size != shape.Size)
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.ImageShape),
                $"ImageShape {image} has {image.Size} values, but the features column '{featureColumn}' has {shape.Size} (shape {shape}).");
        return image;
    }

    /// <summary>
    /// Reads every labelled row of <paramref name="data"/> for <paramref name="task"/>; also returns each row's
    /// example weight when the task has a weight column (else null). <paramref name="role"/> ("training",
    /// "validation") names the data in messages. <paramref name="cancellationToken"/> is checked at every row.
    /// </summary>
    public static (InMemoryDataset Data, float[]? Weights) Read(IDataView data, TrainingTask task, string role, CancellationToken cancellationToken)
    {
        int size = task.Shape.Size;
        long capacity = data.GetRowCount() ?? CountLabelled(data, task, cancellationToken);
        float[] x = AllocateRows(capacity, size, role);
        var y = new float[capacity];
        float[]? w = task.WeightName is null ? null : new float[capacity];
        int count = 0;
        long rowsRead;
        using (var reader = new RowReader(data, task, cancellationToken))
        {
            while (reader.MoveNext(count < capacity ? x.AsSpan(count * size, size) : new float[size], out float target, out float weight))
            {
                if (count == capacity)
                    throw new InvalidOperationException($"The {role} data gave more labelled rows than the {capacity} it counted; its rows must be the same on every pass.");
                y[count] = target;
                if (w is not null) w[count] = weight;
                count++;
            }
            rowsRead = reader.RowsRead;
        }
        if (count == 0)
        {
            throw new InvalidOperationException(rowsRead == 0
                ? $"The {role} data has no rows: there is nothing to learn from (columns '{task.FeatureName}' and '{task.LabelName}' were read)."
                : $"None of the {rowsRead} rows of the {role} data has a label in column '{task.LabelName}' (every one is missing): there is nothing to learn from.");
        }
        return (new InMemoryDataset(x, y, count, task.Shape), w);
    }

    /// <summary>The labelled rows of <paramref name="data"/> in each class (task.Classes of them), from a pass over the label column.</summary>
    public static long[] CountClasses(IDataView data, TrainingTask task, CancellationToken cancellationToken)
    {
        var counts = new long[task.Classes];
        using var reader = new RowReader(data, task, cancellationToken, targetsOnly: true);
        while (reader.MoveNextTarget(out float target)) counts[(int)target]++;
        return counts;
    }

    /// <summary>Reads every row's features, for unsupervised training; the targets are zeros.</summary>
    public static InMemoryDataset ReadFeatures(IDataView data, string featureColumn, TensorShape shape)
    {
        var features = data.Schema[featureColumn];
        int size = shape.Size;
        long capacity = data.GetRowCount() ?? CountRows(data);
        float[] x = AllocateRows(capacity, size, "training");
        int count = 0;
        using (var cursor = data.GetRowCursor([features]))
        {
            var getFeatures = cursor.GetGetter<VBuffer<float>>(features);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                if (count == capacity)
                    throw new InvalidOperationException($"The training data gave more rows than the {capacity} it counted; its rows must be the same on every pass.");
                getFeatures(ref buffer);
                CopyFeatures(buffer, x.AsSpan(count * size, size), count, featureColumn);
                count++;
            }
        }
        if (count == 0)
            throw new InvalidOperationException($"The training data has no rows in column '{featureColumn}': there is nothing to learn from.");
        return new InMemoryDataset(x, new float[count], count, shape);
    }

    /// <summary>Copies one row's features into <paramref name="destination"/>, checking their count and that every value is finite.</summary>
    public static void CopyFeatures(in VBuffer<float> buffer, Span<float> destination, long row, string featureColumn)
    {
        if (buffer.Length != destination.Length)
            throw new InvalidOperationException($"Row {row}: features column '{featureColumn}' has {buffer.Length} values; expected {destination.Length}.");
        buffer.CopyTo(destination);
        for (int i = 0; i < destination.Length; i++)
            if (!float.IsFinite(destination[i]))
                throw new InvalidOperationException($"Row {row}: features column '{featureColumn}' holds {destination[i]} at slot {i}; training needs finite values (replace missing values first, e.g. with ReplaceMissingValues).");
    }

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

    /// <summary>
    /// The one array the rows go into, left uninitialised: every value is written before it is read, and its
    /// pages are touched only as the rows arrive.
    /// </summary>
    private static float[] AllocateRows(long rows, int size, string role)
    {
        if (rows * size > Array.MaxLength)
            throw new InvalidOperationException(
                $"The {role} data has {rows} rows of {size} features, more than one array holds ({Array.MaxLength} values). Set DeepNetOptions.Streaming to train from it without holding it in memory.");
        return GC.AllocateUninitializedArray<float>((int)(rows * size));
    }

    /// <summary>The labelled rows of <paramref name="data"/>, from a pass over the label column.</summary>
    public static long CountLabelled(IDataView data, TrainingTask task, CancellationToken cancellationToken)
    {
        using var reader = new RowReader(data, task, cancellationToken, targetsOnly: true);
        long count = 0;
        while (reader.MoveNextTarget(out _)) count++;
        return count;
    }

    private static long CountRows(IDataView data)
    {
        using var cursor = data.GetRowCursor([]);
        long count = 0;
        while (cursor.MoveNext()) count++;
        return count;
    }
}
