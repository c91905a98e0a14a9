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
