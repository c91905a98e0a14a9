using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Internal;

/// <summary>
/// Writes a <see cref="NetworkPredictionTransformer"/> into ML.NET's ONNX converter: the network's
/// nodes on the features variable, then the columns ML.NET's own scorers export for the task, of the
/// same types: multiclass PredictedLabel (a uint32 key, ArgMax + 1) and Score (the probabilities);
/// binary PredictedLabel (Score &gt; 0), Score (the logit) and Probability (its sigmoid); regression
/// Score; a feature extractor's vector.
/// </summary>
internal static class NetworkOnnxColumns
{
    /// <summary>The oldest opset whose operators the forms use (see <see cref="NetworkOnnxExport.OpsetVersion"/>).</summary>
    private const int MinimumOpset = 9;

    /// <exception cref="NotSupportedException">The transformer's network, or its scorer factory, has no ONNX form; nothing is added.</exception>
    /// <exception cref="InvalidOperationException">The features column is not in the ONNX graph.</exception>
    public static void Write(OnnxContext ctx, NetworkPredictionTransformer transformer, DataViewSchema inputSchema, DataViewSchema outputSchema)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckOpSetVersion(MinimumOpset, "DeepNet");
        if (transformer.Model.ScorerFactory is not IOnnxScorerFactory factory)
        {
            throw new NotSupportedException(
                $"The network reading '{transformer.FeatureColumnName}' is scored by {transformer.Model.ScorerFactory.GetType().FullName}, which has no ONNX form, so the pipeline cannot be converted to ONNX.");
        }
        if (!ctx.ContainsColumn(transformer.FeatureColumnName))
        {
            throw new InvalidOperationException(
                $"The features column '{transformer.FeatureColumnName}' of the DeepNet network is not in the ONNX graph: a step before it could not be converted.");
        }
        var graph = new OnnxContextGraph(ctx);
        string features = ctx.GetVariableName(transformer.FeatureColumnName);
        // A column of several dimensions (the digits' [28, 28]) is [N, 28, 28] in the graph; the network reads [N, 784].
        if (inputSchema[transformer.FeatureColumnName].Type is VectorDataViewType { Dimensions.Length: > 1 })
            features = graph.Apply("Flatten", features, OnnxAttribute.Int("axis", 1));
        string outputs = factory.WriteOnnx(transformer.Model.Payload, graph, features);
        var names = transformer.OutputColumnNames;
        string Column(int i) => ctx.AddIntermediateVariable(outputSchema[names[i]].Type, names[i]);
        switch (transformer.Kind)
        {
            case NetworkPredictionKind.MulticlassClassification:
            {
                // ArgMax keeps the first of equal maxima, as the scorer does; keys count from 1.
                string index = graph.Apply("ArgMax", outputs, OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
                string key = graph.Apply("Add", [index, graph.AddInitializer("one", [1L], [1])]);
                Copy(ctx, "Cast", key, Column(0)).AddAttribute("to", typeof(uint));
                Copy(ctx, "Identity", outputs, Column(1));
                break;
            }
            case NetworkPredictionKind.BinaryClassification:
            {
                string positive = graph.Apply("Greater", [outputs, graph.AddInitializer("zero", [0f], [1])]);
                Copy(ctx, "Identity", positive, Column(0));
                Copy(ctx, "Identity", outputs, Column(1));
                Copy(ctx, "Sigmoid", outputs, Column(2));
                break;
            }
            case NetworkPredictionKind.Regression:
            case NetworkPredictionKind.FeatureExtraction:
                Copy(ctx, "Identity", outputs, Column(0));
                break;
            default:
                throw new NotSupportedException($"A {transformer.Kind} network has no ONNX form.");
        }
    }

    private static OnnxNode Copy(OnnxContext ctx, string opType, string input, string output) =>
        ctx.CreateNode(opType, input, output, ctx.GetNodeName(opType), "");
}
