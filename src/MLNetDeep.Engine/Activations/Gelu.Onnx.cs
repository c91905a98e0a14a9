using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Activations;

// Gelu as 0.5 x (1 + Erf(x / √2)): opset 12 has no Gelu operator, but it has Erf.
public sealed partial class Gelu
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        string invSqrt2 = graph.AddInitializer("gelu_inv_sqrt2", [0.70710678118654752f], [1]);
        string one = graph.AddInitializer("gelu_one", [1f], [1]);
        string half = graph.AddInitializer("gelu_half", [0.5f], [1]);
        string erf = graph.Apply("Erf", graph.Apply("Mul", [input, invSqrt2]));
        string phi = graph.Apply("Mul", [graph.Apply("Add", [erf, one]), half]);
        return graph.Apply("Mul", [input, phi]);
    }
}
