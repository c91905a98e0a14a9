using Microsoft.ML;

namespace MLNetDeep.Tests;

/// <summary>
/// A test-only estimator whose "training" returns a fixed stand-in model: enough for pipelines,
/// CrossValidate and schema propagation until the real trainers exist.
/// </summary>
internal sealed class StandInEstimator(MLContext ml, NetworkPredictionKind kind, Func<NetworkModelParameters> model) : IEstimator<NetworkPredictionTransformer>
{
    public const string Features = "Features";
    public const string Label = "Label";

    public NetworkPredictionTransformer Fit(IDataView input) => kind switch
    {
        NetworkPredictionKind.MulticlassClassification =>
            NetworkPredictionTransformer.CreateMulticlass(ml, model(), Features, input.Schema[Label]),
        NetworkPredictionKind.BinaryClassification => NetworkPredictionTransformer.CreateBinary(ml, model(), Features),
        _ => NetworkPredictionTransformer.CreateRegression(ml, model(), Features),
    };

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        NetworkPredictionSchemaShape.Append(inputSchema, kind, Features,
            kind == NetworkPredictionKind.MulticlassClassification ? Label : null);
}
