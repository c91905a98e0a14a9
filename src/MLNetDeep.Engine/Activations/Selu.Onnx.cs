using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Selu as the ONNX operator of the same name, with the engine's constants written out (its defaults round the same).
public sealed partial class Selu
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input) => graph.Apply("Selu", input,
        OnnxAttribute.Float("alpha", SmoothActivationKernels.SeluAlpha), OnnxAttribute.Float("gamma", SmoothActivationKernels.SeluLambda));
}
