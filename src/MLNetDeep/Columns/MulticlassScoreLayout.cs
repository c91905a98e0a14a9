using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Internal;

namespace MLNetDeep.Columns;

/// <summary>
/// PredictedLabel (a key over the classes, carrying the label's key values) and Score (one float per class,
/// with SlotNames when the key values are text), annotated as ML.NET's MulticlassClassificationScorer does.
/// </summary>
internal sealed class MulticlassScoreLayout : ScoreLayout
{
    public static readonly string[] DefaultNames = [ScoreAnnotationNames.PredictedLabel, ScoreAnnotationNames.Score];

    private readonly LabelKeyValues? _labels;

    public MulticlassScoreLayout(int classCount, LabelKeyValues? labels, IReadOnlyList<string> columnNames)
        : base(columnNames, 2)
    {
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A multiclass network needs at least 2 outputs.");
        if (labels is not null && labels.Count != classCount)
        {
            throw new ArgumentException(
                $"The label has {labels.Count} key values but the network has {classCount} outputs; they must match.", nameof(labels));
        }
        OutputSize = classCount;
        _labels = labels;
    }

    public override NetworkPredictionKind Kind => NetworkPredictionKind.MulticlassClassification;

    public override int OutputSize { get; }

    public override LabelKeyValues? LabelValues => _labels;

    public override IEnumerable<DataViewSchema.DetachedColumn> CreateColumns(uint scoreColumnSetId)
    {
        var predicted = ScoreAnnotations.Start(ScoreAnnotationNames.MulticlassColumnKind, scoreColumnSetId, ScoreAnnotationNames.PredictedLabel);
        _labels?.AddTo(predicted, ScoreAnnotationNames.KeyValues);
        yield return new DataViewSchema.DetachedColumn(
            ColumnNames[0], new KeyDataViewType(typeof(uint), OutputSize), predicted.ToAnnotations());

        var score = ScoreAnnotations.Start(ScoreAnnotationNames.MulticlassColumnKind, scoreColumnSetId, ScoreAnnotationNames.Score);
        _labels?.AddTo(score, ScoreAnnotationNames.TrainingLabelValues);
        _labels?.AddSlotNamesTo(score);
        yield return new DataViewSchema.DetachedColumn(
            ColumnNames[1], new VectorDataViewType(NumberDataViewType.Single, OutputSize), score.ToAnnotations());
    }

    public override Delegate CreateGetter(int index, IScoreSource source) => index switch
    {
        0 => (ValueGetter<uint>)((ref uint key) => key = ArgMaxKey(source.CurrentOutputs)),
        1 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> scores) => CopyOutputs(source.CurrentOutputs, ref scores)),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    // The key of the first largest score (keys count from 1); 0, the missing key, when every score is NaN.
    private static uint ArgMaxKey(ReadOnlySpan<float> scores)
    {
        int best = -1;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!float.IsNaN(scores[i]) && (best < 0 || scores[i] > scores[best]))
                best = i;
        }
        return (uint)(best + 1);
    }
}
