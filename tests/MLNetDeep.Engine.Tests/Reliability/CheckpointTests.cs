using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;
using static MLNetDeep.Engine.Tests.Training.NetworkTrainerTests;

namespace MLNetDeep.Engine.Tests.Reliability;

/// <summary>An interrupted run resumed from its checkpoint ends exactly where the uninterrupted run ends.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static InMemoryDataset Data()
    {
        var rng = new Rng(7);
        int n = 300, d = 10;
        var x = new float[n * d];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < d; j++) x[i * d + j] = rng.NextGaussian() + (j % 3 == i % 3 ? 1f : 0f);
        }
        return new InMemoryDataset(x, y, TensorShape.Vector(d));
    }

    /// <summary>
    /// Everything that carries state between epochs: shuffling, a validation split, dropout masks, Adam's
    /// moments and step count, a schedule, early stopping that tracks the best epoch (patient enough not to stop).
    /// </summary>
    private static NetworkTrainer NewTrainer(string? checkpoint, int epochs = 4) => new(
        new Network(TensorShape.Vector(10), [new Dense(16), new Relu(), new Dropout(0.3f), new Dense(8), new Tanh(), new Dropout(0.1f), new Dense(3)],
            new SoftmaxCrossEntropy(), seed: 11),
        new Adam(0.01f),
        new TrainerOptions
        {
            Epochs = epochs, BatchSize = 16, Seed = 5, ValidationFraction = 0.2f, EarlyStoppingPatience = 10,
            Schedule = new StepSchedule(2, 0.5f), CheckpointPath = checkpoint,
        });

    [Fact]
    public void ARunInterruptedAfterTwoEpochsResumesToBitIdenticalWeights()
    {
        var data = Data();
        var uninterrupted = NewTrainer(checkpoint: null);
        var expected = uninterrupted.Fit(data);

        string checkpoint = Path.Combine(_directory, "run.ckpt");
        using var cts = new CancellationTokenSource();
        var first = NewTrainer(checkpoint);
        var stopAfterTwo = new SyncProgress<EpochReport>(r => { if (r.Epoch == 2) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => first.Fit(data, progress: stopAfterTwo, cancellationToken: cts.Token));
        Assert.True(File.Exists(checkpoint));
        Assert.Single(Directory.GetFiles(_directory)); // no temporary file left behind

        var resumed = NewTrainer(checkpoint); // new network, optimizer and trainer: only the file carries the state
        var result = resumed.Fit(data);

        Assert.Equal(2, result.ResumedAfterEpoch);
        Assert.Equal(NetworkSerializer.ToBytes(uninterrupted.Network), NetworkSerializer.ToBytes(resumed.Network));
        Assert.Equal(expected.History.Select(h => h.TrainingLoss), result.History.Select(h => h.TrainingLoss));
        Assert.Equal(expected.History.Select(h => h.ValidationLoss), result.History.Select(h => h.ValidationLoss));
        Assert.Equal(expected.BestEpoch, result.BestEpoch);
    }

    /// <summary>BatchNorm's running statistics are buffers the checkpoint carries, beside the parameters and Adam's moments.</summary>
    private static NetworkTrainer NewNormalizedTrainer(string? checkpoint) => new(
        new Network(TensorShape.Vector(10), [new Dense(16), new BatchNorm(), new Gelu(), new Dropout(0.2f), new LayerNorm(), new Dense(8), new BatchNorm(), new Silu(),
            new Dense(6), new Selu(), new Dense(6), new Softplus(), new Dense(3)], new SoftmaxCrossEntropy(), seed: 12),
        new Adam(0.01f),
        new TrainerOptions { Epochs = 4, BatchSize = 16, Seed = 5, ValidationFraction = 0.2f, EarlyStoppingPatience = 10, CheckpointPath = checkpoint });

    [Fact]
    public void ANormalizedNetworkInterruptedAfterTwoEpochsResumesToBitIdenticalWeightsAndStatistics()
    {
        var data = Data();
        var uninterrupted = NewNormalizedTrainer(checkpoint: null);
        var expected = uninterrupted.Fit(data);

        string checkpoint = Path.Combine(_directory, "normalized.ckpt");
        using var cts = new CancellationTokenSource();
        var stopAfterTwo = new SyncProgress<EpochReport>(r => { if (r.Epoch == 2) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => NewNormalizedTrainer(checkpoint).Fit(data, progress: stopAfterTwo, cancellationToken: cts.Token));

        var resumed = NewNormalizedTrainer(checkpoint);
        var result = resumed.Fit(data);

        Assert.Equal(2, result.ResumedAfterEpoch);
        Assert.Contains(resumed.Network.Buffers, b => b.Value.Any(v => v != 0 && v != 1));
        Assert.Equal(NetworkSerializer.ToBytes(uninterrupted.Network), NetworkSerializer.ToBytes(resumed.Network));
        Assert.Equal(expected.History.Select(h => h.ValidationLoss), result.History.Select(h => h.ValidationLoss));
    }

    [Fact]
    public void AFinishedRunCanBeExtendedByMoreEpochs()
    {
        var data = Data();
        var straight = NewTrainer(checkpoint: null, epochs: 3);
        straight.Fit(data);

        string checkpoint = Path.Combine(_directory, "run.ckpt");
        NewTrainer(checkpoint, epochs: 2).Fit(data);
        var extended = NewTrainer(checkpoint, epochs: 3);
        Assert.Equal(2, extended.Fit(data).ResumedAfterEpoch);
        Assert.Equal(NetworkSerializer.ToBytes(straight.Network), NetworkSerializer.ToBytes(extended.Network));
    }

    [Fact]
    public void ACheckpointOfAnotherRunIsRefusedAndLeavesTheNetworkAlone()
    {
        var data = Data();
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        NewTrainer(checkpoint, epochs: 1).Fit(data);
        var other = new NetworkTrainer(
            new Network(TensorShape.Vector(10), [new Dense(12), new Relu(), new Dense(3)], new SoftmaxCrossEntropy(), seed: 11),
            new Adam(0.01f), new TrainerOptions { Epochs = 2, CheckpointPath = checkpoint });
        byte[] before = NetworkSerializer.ToBytes(other.Network);
        var e = Assert.Throws<InvalidOperationException>(() => other.Fit(data));
        Assert.Contains(checkpoint, e.Message);
        Assert.Contains("Dense(12)", e.Message);
        Assert.Equal(before, NetworkSerializer.ToBytes(other.Network));
    }

    [Fact]
    public void ADamagedCheckpointIsInvalidDataNamingTheFile()
    {
        var data = Data();
        string checkpoint = Path.Combine(_directory, "run.ckpt");
        NewTrainer(checkpoint, epochs: 1).Fit(data);
        byte[] bytes = File.ReadAllBytes(checkpoint);
        var rng = new Rng(3);
        foreach (int cut in new[] { 0, 7, bytes.Length / 2, bytes.Length - 1 })
        {
            File.WriteAllBytes(checkpoint, bytes[..cut]);
            var e = Assert.Throws<InvalidDataException>(() => NewTrainer(checkpoint).Fit(data));
            Assert.Contains(checkpoint, e.Message);
        }
        for (int i = 0; i < 50; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[rng.NextInt(damaged.Length)] ^= (byte)(1 << rng.NextInt(8));
            File.WriteAllBytes(checkpoint, damaged);
            Assert.Throws<InvalidDataException>(() => NewTrainer(checkpoint).Fit(data));
        }
    }
}
