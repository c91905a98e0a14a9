using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Internal;

namespace MLNetDeep.Columns;

/// <summary>Score (the network's single output), annotated as ML.NET's regression scorer does.</summary>
internal sealed class RegressionScoreLayout : ScoreLayout
{
    public static readonly string[] DefaultNames = [ScoreAnnotationNames.Score];

    public RegressionScoreLayout(IReadOnlyList<string> columnNames)
        : base(columnNames, 1)
    {
    }

    public override NetworkPredictionKind Kind => NetworkPredictionKind.Regression;

    public override int OutputSize => 1;

    public override IEnumerable<DataViewSchema.DetachedColumn> CreateColumns(uint scoreColumnSetId)
    {
        var score = ScoreAnnotations.Start(ScoreAnnotationNames.RegressionColumnKind, scoreColumnSetId, ScoreAnnotationNames.Score);
        yield return new DataViewSchema.DetachedColumn(ColumnNames[0], NumberDataViewType.Single, score.ToAnnotations());
    }

    public override Delegate CreateGetter(int index, IScoreSource source) => index switch
    {
        0 => (ValueGetter<float>)((ref float score) => score = source.CurrentOutputs[0]),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
