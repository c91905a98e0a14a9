using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// LayerNorm from primitive operators (opset 12 has no LayerNormalization): over every axis but the batch,
// mean = ReduceMean(x), d = x - mean, y = d / Sqrt(ReduceMean(d d) + epsilon) * gamma + beta.
public sealed partial class LayerNorm
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        var axes = Enumerable.Range(1, InputShape.Rank).Select(a => (long)a).ToArray();
        var sample = new long[InputShape.Rank];
        for (int i = 0; i < sample.Length; i++) sample[i] = InputShape[i];
        string mean = graph.Apply("ReduceMean", input, OnnxAttribute.Ints("axes", axes), OnnxAttribute.Int("keepdims", 1));
        string centred = graph.Apply("Sub", [input, mean]);
        string variance = graph.Apply("ReduceMean", graph.Apply("Mul", [centred, centred]), OnnxAttribute.Ints("axes", axes), OnnxAttribute.Int("keepdims", 1));
        string std = graph.Apply("Sqrt", graph.Apply("Add", [variance, graph.AddInitializer("ln_epsilon", [Epsilon], [1])]));
        string normalised = graph.Apply("Div", [centred, std]);
        string scaled = graph.Apply("Mul", [normalised, graph.AddInitializer("ln_gamma", Gamma.Value, sample)]);
        return graph.Apply("Add", [scaled, graph.AddInitializer("ln_beta", Beta.Value, sample)]);
    }
}
