using Microsoft.ML.Data;

namespace MLNetDeep.Internal;

/// <summary>
/// The annotation names and values that ML.NET's scorers write and its evaluators and MapKeyToValue read.
/// They live in ML.NET's internal AnnotationUtils; taken from there so that they cannot drift.
/// </summary>
internal static class ScoreAnnotationNames
{
    public const string SlotNames = AnnotationUtils.Kinds.SlotNames;
    public const string KeyValues = AnnotationUtils.Kinds.KeyValues;
    public const string ScoreColumnSetId = AnnotationUtils.Kinds.ScoreColumnSetId;
    public const string ScoreColumnKind = AnnotationUtils.Kinds.ScoreColumnKind;
    public const string ScoreValueKind = AnnotationUtils.Kinds.ScoreValueKind;
    public const string IsNormalized = AnnotationUtils.Kinds.IsNormalized;
    public const string TrainingLabelValues = AnnotationUtils.Kinds.TrainingLabelValues;

    public const string MulticlassColumnKind = AnnotationUtils.Const.ScoreColumnKind.MulticlassClassification;
    public const string BinaryColumnKind = AnnotationUtils.Const.ScoreColumnKind.BinaryClassification;
    public const string RegressionColumnKind = AnnotationUtils.Const.ScoreColumnKind.Regression;

    public const string Score = AnnotationUtils.Const.ScoreValueKind.Score;
    public const string PredictedLabel = AnnotationUtils.Const.ScoreValueKind.PredictedLabel;
    public const string Probability = AnnotationUtils.Const.ScoreValueKind.Probability;

    /// <summary>The type of the ScoreColumnSetId annotation: a uint key.</summary>
    public static KeyDataViewType ScoreColumnSetIdType => AnnotationUtils.ScoreColumnSetIdType;
}
