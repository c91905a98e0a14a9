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
        string hint = reinitializeOutput ? "" : " To replace only the output layer (another class count or task), set DeepNetOptions.ReinitializeOutputLayer.";
        if (!source.InputShape.Equals(network.InputShape))
            throw Mismatch($"it reads features of shape {source.InputShape}; this data's features have shape {network.InputShape}.");
        if (from.Count != to.Count)
            throw Mismatch($"it has {from.Count} layers ({Describe(source)}); the options build {to.Count} ({Describe(network)}).");
        if (!reinitializeOutput && source.Loss.ToString() != network.Loss.ToString())
            throw Mismatch($"it was trained with {source.Loss}; this trainer trains {network.Loss}.");
        int copied = reinitializeOutput ? to.Count - 1 : to.Count;
        if (reinitializeOutput && to[^1] is not Dense)
            throw new ArgumentException($"ReinitializeOutputLayer replaces a dense output layer; this network ends with {to[^1]}.", "previousModel");
        for (int i = 0; i < copied; i++)
        {
            if (from[i].ToString() != to[i].ToString() || !from[i].OutputShape.Equals(to[i].OutputShape))
                throw Mismatch($"layer {i + 1} is {from[i]} with output {from[i].OutputShape} there, {to[i]} with output {to[i].OutputShape} here.");
        }
        for (int i = 0; i < copied; i++)
        {
            var p = from[i].Parameters;
            var q = to[i].Parameters;
            for (int j = 0; j < q.Count; j++) p[j].Value.CopyTo(q[j].Value, 0);
        }

        ArgumentException Mismatch(string what) => new(
            $"previousModel has another architecture than this trainer's options: {what}{hint}", "previousModel");
    }

    private static string Describe(Network network) => string.Join(", ", network.Layers.Select(l => l.ToString()));
}
