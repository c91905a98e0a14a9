using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// An ensemble as ONNX's Mean of its members' forms, each reading the same input.
public sealed partial class Ensemble
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        var outputs = _members.Select(m => m.WriteOnnx(graph, input)).ToArray();
        return outputs.Length == 1 ? outputs[0] : graph.Apply("Mean", outputs);
    }
}
