using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// LeakyRelu as LeakyRelu with the same slope.
public sealed partial class LeakyRelu
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("LeakyRelu", input, OnnxAttribute.Float("alpha", Alpha));
}
