using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Elu as Elu with the same alpha.
public sealed partial class Elu
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("Elu", input, OnnxAttribute.Float("alpha", Alpha));
}
