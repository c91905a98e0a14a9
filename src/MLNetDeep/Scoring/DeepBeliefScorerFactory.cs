using System.Runtime.InteropServices;
using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Pretraining;

namespace MLNetDeep;

/// <summary>
/// Scores with a <see cref="DeepBeliefNetwork"/> stored in the engine's deep belief network format: the
/// outputs are the top RBM's hidden probabilities. Each scorer loads its own copy (a network owns the
/// buffers of its batches), so cursors can run in parallel.
/// </summary>
internal sealed class DeepBeliefScorerFactory : IBatchScorerFactory, IOnnxScorerFactory
{
    /// <summary>The payload for <paramref name="network"/>: the bytes of <see cref="DeepBeliefNetwork.Save"/>.</summary>
    public static byte[] CreatePayload(DeepBeliefNetwork network)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        return stream.ToArray();
    }

    public IBatchScorer CreateScorer(ReadOnlyMemory<byte> payload) => new DeepBeliefScorer(Load(payload));

    public string WriteOnnx(ReadOnlyMemory<byte> payload, OnnxGraphBuilder graph, string features) => Load(payload).WriteOnnx(graph, features);

    private static DeepBeliefNetwork Load(ReadOnlyMemory<byte> payload)
    {
        using var stream = MemoryMarshal.TryGetArray(payload, out ArraySegment<byte> bytes)
            ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
            : new MemoryStream(payload.ToArray(), writable: false);
        return DeepBeliefNetwork.Load(stream);
    }

    private sealed class DeepBeliefScorer(DeepBeliefNetwork network) : IBatchScorer
    {
        public int InputSize => network.VisibleCount;

        public int OutputSize => network.FeatureCount;

        public void Score(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs) => network.Transform(inputs, batchSize, outputs);
    }
}
