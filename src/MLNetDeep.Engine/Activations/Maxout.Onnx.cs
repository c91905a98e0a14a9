using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Activations;

// Maxout as Reshape + ReduceMax: [N, units * k] seen as [N, units, k] (each unit's k pieces consecutive), the maximum over the last axis.
public sealed partial class Maxout
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        int units = OutputShape.Size;
        string pieces = graph.Reshape(input, new TensorShape(units, Pieces));
        return graph.Apply("ReduceMax", pieces, OnnxAttribute.Ints("axes", 2), OnnxAttribute.Int("keepdims", 0));
    }
}
