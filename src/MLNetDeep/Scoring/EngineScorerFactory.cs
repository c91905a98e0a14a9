using MLNetDeep.Engine;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Serialization;

namespace MLNetDeep;

/// <summary>
/// Scores with an engine <see cref="Network"/> stored in the engine's own model format. Each
/// scorer owns a copy of the network (its buffers are not shared), so cursors can run in parallel.
/// </summary>
internal sealed class EngineScorerFactory : IBatchScorerFactory, IOnnxScorerFactory
{
    public IBatchScorer CreateScorer(ReadOnlyMemory<byte> payload) => new EngineScorer(NetworkSerializer.FromBytes(payload.Span));

    public string WriteOnnx(ReadOnlyMemory<byte> payload, OnnxGraphBuilder graph, string features)
    {
        var network = NetworkSerializer.FromBytes(payload.Span);
        return network.WriteOnnx(graph, features, Activates(network));
    }

    // A binary classifier's Score column is the logit (ML.NET's convention); Probability is derived from it.
    private static bool Activates(Network network) => network.Loss is not SigmoidBinaryCrossEntropy;

    private sealed class EngineScorer(Network network) : IBatchScorer
    {
        private readonly bool _activate = Activates(network);

        public int InputSize => network.InputShape.Size;

        public int OutputSize => network.OutputShape.Size;

        // One row at a time (a PredictionEngine) goes through a RowPredictor, which does not repack
        // the weights on every call; it gives the very bits the batch path gives.
        private RowPredictor? _row;

        public void Score(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs)
        {
            if (batchSize == 1) (_row ??= new RowPredictor(network)).Predict(inputs, outputs, _activate);
            else network.Predict(inputs, batchSize, outputs, _activate);
        }
    }
}
