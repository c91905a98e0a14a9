using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Silu as x * Sigmoid(x): opset 12 has no operator of its own for it.
public sealed partial class Silu
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("Mul", [input, graph.Apply("Sigmoid", input)]);
}
