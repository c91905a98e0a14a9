using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Relu as Relu, also where the network fused it into the convolution before it (the Conv node does not rectify).
public sealed partial class Relu
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("Relu", input);
}
