using System.Reflection;
using MLNetDeep.Engine.Losses;

namespace MLNetDeep.Engine.Onnx;

/// <summary>
/// Exports a <see cref="Network"/> as an ONNX model, for ONNX Runtime or any other ONNX consumer.
/// The graph uses operators of the default ONNX domain only, at opset <see cref="OpsetVersion"/>;
/// every layer adds its own nodes (its ONNX form), and a layer or loss without one stops the export
/// with an exception that names it, before anything is written.
/// </summary>
public static class NetworkOnnxExport
{
    /// <summary>
    /// The opset the exported models declare: 12, the newest ML.NET's ONNX converter accepts. The
    /// layers' forms use only operators whose meaning is the same from opset 9 to 12 (Gemm, Conv,
    /// MaxPool, AveragePool, Flatten, Reshape, ReduceMax, Softmax on axis 1, and the activations).
    /// </summary>
    public const int OpsetVersion = 12;

    /// <summary>The name of the exported model's input: floats [N, ...<see cref="Network.InputShape"/>] (images as [N, C, H, W]).</summary>
    public const string InputName = "input";

    /// <summary>The name of the exported model's output: floats [N, ...<see cref="Network.OutputShape"/>].</summary>
    public const string OutputName = "output";

    /// <summary>
    /// Writes <paramref name="network"/> to <paramref name="stream"/> as an ONNX model whose output is
    /// what <see cref="Network.Predict(ReadOnlySpan{float}, int, Span{float}, bool, Kernels.ComputeContext)"/> gives: with
    /// <paramref name="activate"/> true, the loss's prediction (class probabilities for softmax
    /// cross-entropy, sigmoid probabilities for binary cross-entropy, the outputs themselves for
    /// regression), otherwise the raw outputs.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer or the loss has no ONNX form; the message names it and nothing is written.</exception>
    public static void ExportOnnx(this Network network, Stream stream, bool activate = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new OnnxModelWriter("network", network.ToString());
        string input = writer.AddInput(InputName, network.InputShape.Dims);
        string output = network.WriteOnnx(writer, input, activate);
        writer.AddOutput(output, OutputName, network.OutputShape.Dims);
        using var buffer = new MemoryStream();
        writer.WriteTo(buffer, OpsetVersion, ProducerVersion);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    /// <summary>
    /// Adds <paramref name="network"/>'s nodes to <paramref name="graph"/>, reading <paramref name="input"/>
    /// (floats [N, InputShape.Size] or [N, ...InputShape]), and returns the name of its output,
    /// [N, ...OutputShape]: predictions with <paramref name="activate"/> true, raw outputs otherwise.
    /// This is how a host (an ML.NET converter, a larger graph) embeds the network.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer or the loss has no ONNX form; the message names it.</exception>
    public static string WriteOnnx(this Network network, OnnxGraphBuilder graph, string input, bool activate = true)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        // Layers read their input shape; a flat vector of an image network becomes [N, C, H, W] here.
        string x = network.InputShape.Rank == 1 ? input : graph.Reshape(input, network.InputShape);
        for (int i = 0; i < network.Layers.Count; i++)
        {
            try { x = network.Layers[i].WriteOnnx(graph, x); }
            catch (NotSupportedException e) { throw new NotSupportedException($"Layer {i} of {network}: {e.Message}", e); }
        }
        if (!activate || network.Loss is MeanSquaredError) return x;
        if (network.OutputShape.Rank == 1) return LossOnnxForm.WriteActivation(network.Loss, graph, x);
        string flat = graph.Apply("Flatten", x, OnnxAttribute.Int("axis", 1));
        return graph.Reshape(LossOnnxForm.WriteActivation(network.Loss, graph, flat), network.OutputShape);
    }

    /// <summary>The engine's version, written as the models' producer version.</summary>
    internal static string ProducerVersion =>
        typeof(Network).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
}
