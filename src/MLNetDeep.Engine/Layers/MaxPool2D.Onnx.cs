using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// MaxPool2D as MaxPool.
public sealed partial class MaxPool2D
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => WritePoolOnnx(graph, input, "MaxPool");
}
