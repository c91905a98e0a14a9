using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Columns;

namespace MLNetDeep.Internal;

/// <summary>
/// The SchemaShape columns a network trainer announces in GetOutputSchema. SchemaShape.Column's constructor
/// and the annotation shapes ML.NET's own trainers announce (AnnotationUtils) are internal.
/// </summary>
internal static class SchemaShapeColumns
{
    /// <summary>The appended columns for <paramref name="kind"/>, given the label's shape (multiclass only).</summary>
    public static SchemaShape.Column[] ScoreColumns(NetworkPredictionKind kind, SchemaShape.Column? label) => kind switch
    {
        NetworkPredictionKind.MulticlassClassification =>
        [
            new(MulticlassScoreLayout.DefaultNames[0], SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true,
                new SchemaShape(KeyValuesOf(label).Concat(AnnotationUtils.GetTrainerOutputAnnotation()))),
            new(MulticlassScoreLayout.DefaultNames[1], SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false,
                new SchemaShape(AnnotationUtils.AnnotationsForMulticlassScoreColumn(label))),
        ],
        NetworkPredictionKind.BinaryClassification =>
        [
            new(BinaryScoreLayout.DefaultNames[0], SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false, TrainerOutput()),
            new(BinaryScoreLayout.DefaultNames[1], SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false, TrainerOutput()),
            new(BinaryScoreLayout.DefaultNames[2], SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false, TrainerOutput(isNormalized: true)),
        ],
        NetworkPredictionKind.Regression =>
        [
            new(RegressionScoreLayout.DefaultNames[0], SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false, TrainerOutput()),
        ],
        NetworkPredictionKind.FeatureExtraction => throw new ArgumentOutOfRangeException(nameof(kind), kind,
            "A feature vector is named by its estimator, not by the kind: see NetworkPredictionSchemaShape.AppendFeatureVector."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prediction kind."),
    };

    /// <summary>A known-size vector of Single with no annotations, as a featurizer announces its output.</summary>
    public static SchemaShape.Column FeatureVector(string name) =>
        new(name, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);

    private static SchemaShape TrainerOutput(bool isNormalized = false) => new(AnnotationUtils.GetTrainerOutputAnnotation(isNormalized));

    private static IEnumerable<SchemaShape.Column> KeyValuesOf(SchemaShape.Column? label) =>
        label?.Annotations.Where(annotation => annotation.Name == ScoreAnnotationNames.KeyValues) ?? [];
}
