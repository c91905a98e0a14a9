using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// A residual block as Add(inner(x), skip(x)), the skip being x or the projection's form.
public sealed partial class Residual
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        string inner = _inner.WriteOnnx(graph, input);
        string skip = _projection?.WriteOnnx(graph, input) ?? input;
        // The two agree in size; where their shapes differ ([N, C*H*W] against [N, C, H, W]) the skip takes the block's.
        var skipShape = _projection?.OutputShape ?? InputShape;
        if (!skipShape.Equals(OutputShape)) skip = graph.Reshape(skip, OutputShape);
        return graph.Apply("Add", [inner, skip]);
    }
}
