using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Softmax over each sample's features: Softmax(axis 1) on [N, features], images flattened first and shaped back after.
public sealed partial class Softmax
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        if (InputShape.Rank == 1) return graph.Apply("Softmax", input, OnnxAttribute.Int("axis", 1));
        string flat = graph.Apply("Flatten", input, OnnxAttribute.Int("axis", 1));
        return graph.Reshape(graph.Apply("Softmax", flat, OnnxAttribute.Int("axis", 1)), InputShape);
    }
}
