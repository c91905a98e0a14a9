using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Columns;

/// <summary>
/// One column, a known-size vector of Single holding every output of the network: features for the
/// next step of a pipeline. It carries no score annotations, so evaluators do not mistake it for a score.
/// </summary>
internal sealed class FeatureVectorLayout : ScoreLayout
{
    public FeatureVectorLayout(int featureCount, IReadOnlyList<string> columnNames)
        : base(columnNames, 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        OutputSize = featureCount;
    }

    public override NetworkPredictionKind Kind => NetworkPredictionKind.FeatureExtraction;

    public override int OutputSize { get; }

    public override IEnumerable<DataViewSchema.DetachedColumn> CreateColumns(uint scoreColumnSetId)
    {
        yield return new DataViewSchema.DetachedColumn(ColumnNames[0], new VectorDataViewType(NumberDataViewType.Single, OutputSize));
    }

    public override Delegate CreateGetter(int index, IScoreSource source) => index switch
    {
        0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> features) => CopyOutputs(source.CurrentOutputs, ref features)),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
