using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// GlobalAveragePool2D as GlobalAveragePool ([N, C, 1, 1]) then Flatten(axis 1) to [N, C].
public sealed partial class GlobalAveragePool2D
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) =>
        graph.Apply("Flatten", graph.Apply("GlobalAveragePool", input), OnnxAttribute.Int("axis", 1));
}
