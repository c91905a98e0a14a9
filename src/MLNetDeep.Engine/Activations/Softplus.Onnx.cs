using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Softplus as the ONNX operator of the same name.
public sealed partial class Softplus
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("Softplus", input);
}
