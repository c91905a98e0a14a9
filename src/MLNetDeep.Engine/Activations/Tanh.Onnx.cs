using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Tanh as the ONNX operator of the same name.
public sealed partial class Tanh
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("Tanh", input);
}
