using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Internal;

namespace MLNetDeep.Columns;

/// <summary>
/// PredictedLabel (Score &gt; 0), Score (the network's single output, a logit) and Probability (its sigmoid),
/// annotated as ML.NET's BinaryClassifierScorer annotates a calibrated model.
/// </summary>
internal sealed class BinaryScoreLayout : ScoreLayout
{
    public static readonly string[] DefaultNames =
        [ScoreAnnotationNames.PredictedLabel, ScoreAnnotationNames.Score, ScoreAnnotationNames.Probability];

    public BinaryScoreLayout(IReadOnlyList<string> columnNames)
        : base(columnNames, 3)
    {
    }

    public override NetworkPredictionKind Kind => NetworkPredictionKind.BinaryClassification;

    public override int OutputSize => 1;

    public override IEnumerable<DataViewSchema.DetachedColumn> CreateColumns(uint scoreColumnSetId)
    {
        string kind = ScoreAnnotationNames.BinaryColumnKind;
        var predicted = ScoreAnnotations.Start(kind, scoreColumnSetId, ScoreAnnotationNames.PredictedLabel);
        yield return new DataViewSchema.DetachedColumn(ColumnNames[0], BooleanDataViewType.Instance, predicted.ToAnnotations());

        var score = ScoreAnnotations.Start(kind, scoreColumnSetId, ScoreAnnotationNames.Score);
        yield return new DataViewSchema.DetachedColumn(ColumnNames[1], NumberDataViewType.Single, score.ToAnnotations());

        var probability = ScoreAnnotations.Start(kind, scoreColumnSetId, ScoreAnnotationNames.Probability);
        probability.AddPrimitiveValue(ScoreAnnotationNames.IsNormalized, BooleanDataViewType.Instance, true);
        yield return new DataViewSchema.DetachedColumn(ColumnNames[2], NumberDataViewType.Single, probability.ToAnnotations());
    }

    public override Delegate CreateGetter(int index, IScoreSource source) => index switch
    {
        // ML.NET thresholds the score at 0 (NaN gives false), which is probability 0.5.
        0 => (ValueGetter<bool>)((ref bool label) => label = source.CurrentOutputs[0] > 0f),
        1 => (ValueGetter<float>)((ref float score) => score = source.CurrentOutputs[0]),
        2 => (ValueGetter<float>)((ref float probability) => probability = Sigmoid(source.CurrentOutputs[0])),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    private static float Sigmoid(float logit) => 1f / (1f + MathF.Exp(-logit));
}
