using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// Flatten as Flatten(axis 1): [N, C, H, W] to [N, C*H*W], the values in the same order.
public sealed partial class Flatten
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("Flatten", input, OnnxAttribute.Int("axis", 1));
}
