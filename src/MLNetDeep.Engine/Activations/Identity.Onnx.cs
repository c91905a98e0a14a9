using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// The identity needs no node: its output is its input.
public sealed partial class Identity
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => input;
}
