using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// A block of layers as its layers' forms one after another.
public sealed partial class Sequential
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        string x = input;
        foreach (var layer in _layers) x = layer.WriteOnnx(graph, x);
        return x;
    }
}
