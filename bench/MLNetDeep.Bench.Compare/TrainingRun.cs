namespace MLNetDeep.Bench.Compare;

/// <summary>The two networks of the comparison, trained alike on every side.</summary>
public enum NetworkKind { Mlp, Cnn }

/// <summary>What every side of a training comparison is given.</summary>
public sealed record TrainingSetup(NetworkKind Network, int Epochs, int Threads, int Padding, int BatchSize = 128, float LearningRate = 1e-3f, float Dropout = 0.2f, int Seed = 1)
{
    public string Describe() => Network == NetworkKind.Mlp
        ? $"MLP 784-512-512-10, ReLU, dropout {Dropout}, Adam {LearningRate}, batch {BatchSize}, {Epochs} epochs, {Threads} threads"
        : $"CNN conv32 3x3 (padding {Padding}) - ReLU - maxpool 2 - conv64 3x3 (padding {Padding}) - ReLU - maxpool 2 - dense 128 - ReLU - dense 10, Adam {LearningRate}, batch {BatchSize}, {Epochs} epochs, {Threads} threads";

    /// <summary>
    /// Floating-point operations (2 per multiply-add) of the matrix products of one training step,
    /// per sample: forward, the weight gradient of every layer and the input gradient of every
    /// layer but the first (no side computes the gradient of the pixels). Convolutions count as
    /// their im2col products. Elementwise work (bias, activations, dropout, pooling, loss, Adam) is
    /// not counted: this is what the step would cost at the product rate alone.
    /// </summary>
    public double ProductFlopsPerSample()
    {
        // (multiply-adds of the forward product, is it the first layer)
        var layers = new List<(double Macs, bool First)>();
        if (Network == NetworkKind.Mlp)
        {
            layers.Add((784.0 * 512, true));
            layers.Add((512.0 * 512, false));
            layers.Add((512.0 * 10, false));
        }
        else
        {
            int h1 = 28 + 2 * Padding - 2, p1 = h1 / 2, h2 = p1 + 2 * Padding - 2, p2 = h2 / 2;
            layers.Add(((double)h1 * h1 * 32 * 9, true));
            layers.Add(((double)h2 * h2 * 64 * 32 * 9, false));
            layers.Add((64.0 * p2 * p2 * 128, false));
            layers.Add((128.0 * 10, false));
        }
        return 2 * layers.Sum(l => l.First ? 2 * l.Macs : 3 * l.Macs);
    }

    /// <summary>
    /// Fills the common figures from per-epoch wall times. Steady state excludes epoch 1 (JIT,
    /// first-touch of buffers, allocator warm-up on either side) and takes the median epoch, so
    /// that a burst of another process on the shared machine during one epoch does not move it.
    /// </summary>
    public void Summarize(Measurement m, int trainCount)
    {
        var steady = m.EpochSeconds.Skip(1).ToArray();
        if (steady.Length == 0) steady = [.. m.EpochSeconds];
        var sorted = steady.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        m.Values["epochs"] = Epochs;
        m.Values["first_epoch_s"] = m.EpochSeconds[0];
        m.Values["epoch_s"] = median;
        m.Values["epoch_s_mean"] = steady.Average();
        m.Values["epoch_s_max"] = sorted[^1];
        m.Values["samples_per_s"] = trainCount / median;
        m.Values["total_train_s"] = m.EpochSeconds.Sum();
        m.Notes["setup"] = Describe();
    }
}
