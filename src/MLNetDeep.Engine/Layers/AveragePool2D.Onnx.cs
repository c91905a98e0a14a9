using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// AveragePool2D as AveragePool: windows never reach past the image, so every mean is over Size x Size values.
public sealed partial class AveragePool2D
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => WritePoolOnnx(graph, input, "AveragePool");
}
