using MLNetDeep.Engine.Pretraining;

namespace MLNetDeep.Engine.Onnx;

/// <summary>
/// Exports a <see cref="DeepBeliefNetwork"/> as a featurizer: each RBM's p(h | v) = sigmoid(W v + c)
/// as Gemm + Sigmoid, bottom first, giving what <see cref="DeepBeliefNetwork.Transform"/> gives.
/// </summary>
public static class DeepBeliefNetworkOnnxExport
{
    /// <summary>
    /// Writes <paramref name="network"/> to <paramref name="stream"/> as an ONNX model (opset
    /// <see cref="NetworkOnnxExport.OpsetVersion"/>) from input <see cref="NetworkOnnxExport.InputName"/>,
    /// floats [N, visible], to output <see cref="NetworkOnnxExport.OutputName"/>, [N, features].
    /// </summary>
    public static void ExportOnnx(this DeepBeliefNetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new OnnxModelWriter("deep_belief_network", network.ToString());
        string input = writer.AddInput(NetworkOnnxExport.InputName, [network.VisibleCount]);
        writer.AddOutput(network.WriteOnnx(writer, input), NetworkOnnxExport.OutputName, [network.FeatureCount]);
        using var buffer = new MemoryStream();
        writer.WriteTo(buffer, NetworkOnnxExport.OpsetVersion, NetworkOnnxExport.ProducerVersion);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    /// <summary>Adds the stack's nodes to <paramref name="graph"/>, reading <paramref name="input"/> ([N, visible]), and returns the features' name.</summary>
    public static string WriteOnnx(this DeepBeliefNetwork network, OnnxGraphBuilder graph, string input)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        string x = input;
        foreach (var rbm in network.Layers)
        {
            // W is [hidden, visible]: Gemm with transB gives v Wᵀ + c for every row.
            string weight = graph.AddInitializer("rbm_weight", rbm.Weight.Value, [rbm.HiddenCount, rbm.VisibleCount]);
            string bias = graph.AddInitializer("rbm_hidden_bias", rbm.HiddenBias.Value, [rbm.HiddenCount]);
            x = graph.Apply("Sigmoid", graph.Apply("Gemm", [x, weight, bias], OnnxAttribute.Int("transB", 1)));
        }
        return x;
    }
}
