using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Sigmoid as the ONNX operator of the same name.
public sealed partial class Sigmoid
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("Sigmoid", input);
}
