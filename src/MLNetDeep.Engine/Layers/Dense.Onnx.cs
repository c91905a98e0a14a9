using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// Dense as Gemm: y = x Wᵀ + b, W kept [units, inputs] and transposed by the operator.
public sealed partial class Dense
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        // An image input is read as its flat vector, in the same order (c*H*W + y*W + x).
        string x = InputShape.Rank == 1 ? input : graph.Apply("Flatten", input, OnnxAttribute.Int("axis", 1));
        string weight = graph.AddInitializer("dense_weight", Weight.Value, [Units, InputShape.Size]);
        string bias = graph.AddInitializer("dense_bias", Bias.Value, [Units]);
        return graph.Apply("Gemm", [x, weight, bias], OnnxAttribute.Int("transB", 1));
    }
}
