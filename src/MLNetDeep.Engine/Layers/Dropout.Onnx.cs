using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// Inverted dropout passes its inputs through at inference, so its form is no node at all.
public sealed partial class Dropout
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => input;
}
