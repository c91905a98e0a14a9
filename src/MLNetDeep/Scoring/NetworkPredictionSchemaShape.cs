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
        SchemaShape.Column features = Find(inputSchema, featureColumnName, "Features")
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Features column '{featureColumnName}' was not found; expected a vector of Single.");
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Features column '{featureColumnName}' must be a known-size vector of Single.");
        SchemaShape.Column? label = labelColumnName is null ? null
            : Find(inputSchema, labelColumnName, "Label")
              ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Label column '{labelColumnName}' was not found.");

        var columns = inputSchema.ToDictionary(column => column.Name);
        foreach (SchemaShape.Column column in SchemaShapeColumns.ScoreColumns(kind, label))
            columns[column.Name] = column;
        return new SchemaShape(columns.Values);
    }

    private static SchemaShape.Column? Find(SchemaShape schema, string name, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, role);
        return schema.Where(column => column.Name == name).Select(column => (SchemaShape.Column?)column).FirstOrDefault();
    }
}
