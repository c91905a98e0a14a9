using MLNetDeep.Engine;
using MLNetDeep.Engine.Layers;

namespace MLNetDeep.Training;

/// <summary>
/// Continues from a previous model (<see cref="DeepNetTrainer.Fit(Microsoft.ML.IDataView, NetworkModelParameters)"/>):
/// copies its weights into the network the options build, which must be the same architecture, layer by
/// layer; with <see cref="DeepNetOptions.ReinitializeOutputLayer"/>, every layer but the output one, which keeps
/// its fresh draw (fine-tuning a pre-trained network for another task or class count).
/// </summary>
internal static class WarmStart
{
    /// <summary>Puts <paramref name="previous"/>'s weights into <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">The previous model is not a DeepNet network, or its architecture differs; the message names the first difference.</exception>
    public static void Apply(Network network, NetworkModelParameters previous, bool reinitializeOutput)
    {
        var source = previous.EngineNetwork()
            ?? throw new ArgumentException(
                $"previousModel was not made by DeepNet (its scorer is {previous.ScorerFactory.GetType().Name}); warm start continues a DeepNet network only.", "previousModel");
        var from = source.Layers;
        var to = network.Layers;
        string hint = (reinitializeOutput ? "" : " To replace only the output layer (another class count or task), set DeepNetOptions.ReinitializeOutputLayer.")
            + (from.Count > 0 && to.Count > 0 && (from[0] is FeatureScaling) != (to[0] is FeatureScaling) ? " Set DeepNetOptions.InputScaling to match the previous model's first layer (Off when it has no FeatureScaling)." : "");
        if (!source.InputShape.Equals(network.InputShape))
            throw Mismatch($"it reads features of shape {source.InputShape}; this data's features have shape {network.InputShape}.");
        // The kind of loss, not its tag: a binary model trained with label smoothing may continue without it, and back.
        if (!reinitializeOutput && source.Loss.GetType() != network.Loss.GetType())
            throw Mismatch($"it was trained with {source.Loss}; this trainer trains {network.Loss}.");
        // The output head: the dense output layer and, for standardised regression targets, the scaling after it.
        int headFrom = reinitializeOutput ? HeadSize(from) : 0, headTo = reinitializeOutput ? HeadSize(to) : 0;
        if (from.Count - headFrom != to.Count - headTo)
            throw Mismatch($"it has {from.Count} layers ({Describe(source)}); the options build {to.Count} ({Describe(network)}).");
        int copied = to.Count - headTo;
        if (reinitializeOutput && to[^headTo] is not Dense)
            throw new ArgumentException($"ReinitializeOutputLayer replaces a dense output layer; this network ends with {to[^1]}.", "previousModel");
        for (int i = 0; i < copied; i++)
        {
            if (from[i].ToString() != to[i].ToString() || !from[i].OutputShape.Equals(to[i].OutputShape))
                throw Mismatch($"layer {i + 1} is {from[i]} with output {from[i].OutputShape} there, {to[i]} with output {to[i].OutputShape} here.");
        }
        // Every layer, those inside containers too, depth first: the output layer, last at the top, is also last here.
        var fromAll = source.AllLayers;
        var toAll = network.AllLayers;
        if (fromAll.Count - headFrom != toAll.Count - headTo)
            throw Mismatch($"it has {fromAll.Count} layers counting those inside containers; the options build {toAll.Count}.");
        int copiedAll = toAll.Count - headTo;
        for (int i = 0; i < copiedAll; i++)
        {
            var (p, q) = (fromAll[i].Parameters, toAll[i].Parameters);
            var (b, c) = (fromAll[i].Buffers, toAll[i].Buffers);
            if (p.Count != q.Count || b.Count != c.Count || p.Zip(q).Any(x => x.First.Length != x.Second.Length) || b.Zip(c).Any(x => x.First.Value.Length != x.Second.Value.Length))
                throw Mismatch($"layer {fromAll[i]} holds other parameters there than here.");
            for (int j = 0; j < q.Count; j++) p[j].Value.CopyTo(q[j].Value, 0);
            for (int j = 0; j < c.Count; j++) b[j].Value.CopyTo(c[j].Value, 0);
        }

        ArgumentException Mismatch(string what) => new(
            $"previousModel has another architecture than this trainer's options: {what}{hint}", "previousModel");
    }

    private static int HeadSize(IReadOnlyList<Layer> layers) => LearnedScaling.EndsWithTargetScaling(layers) ? 2 : 1;

    private static string Describe(Network network) => string.Join(", ", network.Layers.Select(l => l.ToString()));
}
