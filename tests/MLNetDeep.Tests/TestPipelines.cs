using Microsoft.ML;

namespace MLNetDeep.Tests;

/// <summary>Pipelines several tests share.</summary>
internal static class TestPipelines
{
    /// <summary>
    /// Maps the text label to a key, then fits the three-class stand-in followed by MapKeyToValue("PredictedLabel"):
    /// the model scores the keyed data (and needs no label, so it also runs on features alone).
    /// </summary>
    public static (ITransformer Model, IDataView Keyed) Multiclass(MLContext ml, IEnumerable<MulticlassRow> rows)
    {
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        ITransformer model = new StandInEstimator(ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(keyed);
        return (model, keyed);
    }
}
