using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// The layer's ONNX form: what it computes at inference, as nodes of an ONNX graph.
public abstract partial class Layer
{
    /// <summary>
    /// Adds to <paramref name="graph"/> the nodes that compute this layer at inference from
    /// <paramref name="input"/>, a value of shape [N, ...<see cref="InputShape"/>], and returns the
    /// name of the result, of shape [N, ...<see cref="OutputShape"/>]. Each layer with an ONNX form
    /// overrides it in its own <c>*.Onnx.cs</c> file; a container calls its children's in turn.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer has no ONNX form; the message names it.</exception>
    internal virtual string WriteOnnx(OnnxGraphBuilder graph, string input) =>
        throw new NotSupportedException($"The layer {this} ({GetType().FullName}) has no ONNX form, so a network that contains it cannot be exported to ONNX.");
}
