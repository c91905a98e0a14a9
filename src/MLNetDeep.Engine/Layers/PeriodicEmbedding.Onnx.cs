using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

// PeriodicEmbedding on [N, F]: the features as [N, F, 1] times the frequencies (2π f, [F, K]) plus the phases gives the
// angles [N, F, K]; their cosines as [N, F, 1, K] MatMul each feature's map ([F, K, M], broadcast over N) give
// [N, F, 1, M], then [N, F, M] plus the biases [F, M]; concatenated after the features on the last axis and
// flattened, [N, F (1 + M)], feature j's values side by side as the engine lays them out.
public sealed partial class PeriodicEmbedding
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        int features = InputShape.Size, k = Frequencies, m = Outputs;
        float[] angular = [.. Frequency.Value.Select(f => 2f * MathF.PI * f)];
        // The engine keeps the map as [F x M, K] (row j M + e); ONNX's MatMul wants [F, K, M].
        var map = new float[features * k * m];
        for (int j = 0; j < features; j++)
            for (int e = 0; e < m; e++)
                for (int f = 0; f < k; f++)
                    map[(j * k + f) * m + e] = Weight.Value[(j * m + e) * k + f];
        string column = graph.Reshape(input, new TensorShape(features, 1));
        string frequency = graph.AddInitializer("periodic_frequency", angular, [features, k]);
        string phase = graph.AddInitializer("periodic_phase", Phase.Value, [features, k]);
        string cos = graph.Apply("Cos", [graph.Apply("Add", [graph.Apply("Mul", [column, frequency]), phase])]);
        string weight = graph.AddInitializer("periodic_weight", map, [features, k, m]);
        string mapped = graph.Apply("MatMul", [graph.Reshape(cos, new TensorShape(features, 1, k)), weight]);
        string bias = graph.AddInitializer("periodic_bias", Bias.Value, [features, m]);
        string embedded = graph.Apply("Add", [graph.Reshape(mapped, new TensorShape(features, m)), bias]);
        string joined = graph.Apply("Concat", [column, embedded], OnnxAttribute.Int("axis", 2));
        return graph.Reshape(joined, OutputShape);
    }
}
