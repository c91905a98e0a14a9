using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

/// <summary>
/// The appended columns must look, to ML.NET, exactly like the ones its own trainers' scorers append:
/// same names, types, annotation kinds, annotation types and values.
/// </summary>
public class AnnotationParityTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void MulticlassColumnsMatchSdcaMaximumEntropy()
    {
        IDataView data = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(_ml.Data.LoadFromEnumerable(HandData.Multiclass()))
            .Transform(_ml.Data.LoadFromEnumerable(HandData.Multiclass()));
        AssertSameColumns(
            _ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 1),
            new StandInEstimator(_ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses), data);
    }

    [Fact]
    public void BinaryColumnsMatchCalibratedSdcaLogisticRegression()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Binary());
        AssertSameColumns(
            _ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 1),
            new StandInEstimator(_ml, NetworkPredictionKind.BinaryClassification, StandIn.Binary), data);
    }

    [Fact]
    public void RegressionColumnsMatchSdca()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Regression());
        AssertSameColumns(
            _ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 1),
            new StandInEstimator(_ml, NetworkPredictionKind.Regression, StandIn.Regression), data);
    }

    [Fact]
    public void AScoreColumnSetIdFollowsTheLargestInTheInput()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Regression());
        IDataView once = _ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 1).Fit(data).Transform(data);

        IDataView twice = new StandInEstimator(_ml, NetworkPredictionKind.Regression, StandIn.Regression).Fit(once).Transform(once);

        uint setId = 0;
        twice.Schema["Score"].Annotations.GetValue("ScoreColumnSetId", ref setId);
        Assert.Equal(2u, setId);
    }

    private static void AssertSameColumns<TTheirs, TOurs>(IEstimator<TTheirs> theirs, IEstimator<TOurs> ours, IDataView data)
        where TTheirs : ITransformer
        where TOurs : ITransformer
    {
        DataViewSchema expected = theirs.Fit(data).GetOutputSchema(data.Schema);
        DataViewSchema actual = ours.Fit(data).GetOutputSchema(data.Schema);
        string[] Added(DataViewSchema schema) => schema.Skip(data.Schema.Count).Select(c => c.Name).ToArray();

        Assert.Equal(Added(expected), Added(actual));
        foreach (string name in Added(expected))
        {
            Assert.Equal(expected[name].Type, actual[name].Type);
            Assert.Equal(Describe(expected[name].Annotations), Describe(actual[name].Annotations));
        }
    }

    private static string[] Describe(DataViewSchema.Annotations annotations) => annotations.Schema
        .Select(column => $"{column.Name}: {column.Type} = {ValueOf(annotations, column)}")
        .Order()
        .ToArray();

    private static string ValueOf(DataViewSchema.Annotations annotations, DataViewSchema.Column column)
    {
        switch (column.Type.RawType)
        {
            case Type t when t == typeof(ReadOnlyMemory<char>):
                ReadOnlyMemory<char> text = default;
                annotations.GetValue(column.Name, ref text);
                return text.ToString();
            case Type t when t == typeof(VBuffer<ReadOnlyMemory<char>>):
                VBuffer<ReadOnlyMemory<char>> texts = default;
                annotations.GetValue(column.Name, ref texts);
                return string.Join(",", texts.DenseValues());
            case Type t when t == typeof(uint):
                uint number = 0;
                annotations.GetValue(column.Name, ref number);
                return number.ToString();
            case Type t when t == typeof(bool):
                bool flag = false;
                annotations.GetValue(column.Name, ref flag);
                return flag.ToString();
            default:
                return "(not compared)";
        }
    }
}
