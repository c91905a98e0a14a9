using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Internal;

namespace MLNetDeep;

/// <summary>
/// Schema propagation for estimators that produce a <see cref="NetworkPredictionTransformer"/>: what their
/// <see cref="IEstimator{TTransformer}.GetOutputSchema"/> returns.
/// </summary>
public static class NetworkPredictionSchemaShape
{
    /// <summary>
    /// <paramref name="inputSchema"/> with the columns of <paramref name="kind"/> appended (replacing input columns of the same names).
    /// </summary>
    /// <param name="inputSchema">The estimator's input shape.</param>
    /// <param name="kind">Which columns the transformer appends.</param>
    /// <param name="featureColumnName">The features column; it must be a vector of Single.</param>
    /// <param name="labelColumnName">The label column, whose key values a multiclass PredictedLabel carries; null for none.</param>
    /// <returns>The output shape.</returns>
    public static SchemaShape Append(SchemaShape inputSchema, NetworkPredictionKind kind, string featureColumnName, string? labelColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckFeatures(inputSchema, featureColumnName);
        SchemaShape.Column? label = labelColumnName is null ? null
            : Find(inputSchema, labelColumnName, "Label")
              ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Label column '{labelColumnName}' was not found.");
        return Replace(inputSchema, SchemaShapeColumns.ScoreColumns(kind, label));
    }

    /// <summary>
    /// <paramref name="inputSchema"/> with <paramref name="outputColumnName"/> appended as a known-size vector
    /// of Single (replacing an input column of that name): what a <see cref="NetworkPredictionKind.FeatureExtraction"/>
    /// transformer that reads <paramref name="inputColumnName"/> gives.
    /// </summary>
    internal static SchemaShape AppendFeatureVector(SchemaShape inputSchema, string inputColumnName, string outputColumnName)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckFeatures(inputSchema, inputColumnName);
        return Replace(inputSchema, [SchemaShapeColumns.FeatureVector(outputColumnName)]);
    }

    private static void CheckFeatures(SchemaShape inputSchema, string featureColumnName)
    {
        SchemaShape.Column features = Find(inputSchema, featureColumnName, "Features")
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Features column '{featureColumnName}' was not found; expected a vector of Single.");
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Features column '{featureColumnName}' must be a known-size vector of Single.");
    }

    private static SchemaShape Replace(SchemaShape inputSchema, IEnumerable<SchemaShape.Column> appended)
    {
        var columns = inputSchema.ToDictionary(column => column.Name);
        foreach (SchemaShape.Column column in appended)
            columns[column.Name] = column;
        return new SchemaShape(columns.Values);
    }

    private static SchemaShape.Column? Find(SchemaShape schema, string name, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, role);
        return schema.Where(column => column.Name == name).Select(column => (SchemaShape.Column?)column).FirstOrDefault();
    }
}
