using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

using static MLNetDeep.Engine.Tests.Training.NetworkTrainerTests;

namespace MLNetDeep.Engine.Tests.Serialization;

/// <summary>Containers nested in each other save, load, survive damage as InvalidDataException, and resume from checkpoints.</summary>
public sealed class ContainerFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-containers-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Every container shape: a Sequential inside a Residual inside a Sequential, a projection, a convolution block.</summary>
    public static Network Nested(ulong seed = 3) => new(TensorShape.Image(2, 6, 6),
        [
            new Residual(new Conv2D(4, 3, stride: 2, padding: 1), new Relu()),
            new Sequential(new Flatten(), new Dense(12), new Tanh(), new Residual(new Sequential(new Dense(12), new Dropout(0.2f), new Sigmoid()))),
            new Residual([new Dense(6), new Elu()], new Dense(6)),
            new Dense(3),
        ],
        new SoftmaxCrossEntropy(), seed);

    [Fact]
    public void ANestedNetworkRoundTripsBitForBit()
    {
        var network = Nested();
        var loaded = NetworkSerializer.FromBytes(NetworkSerializer.ToBytes(network));
        Assert.Equal(network.ToString(), loaded.ToString());
        Assert.Equal(network.AllLayers.Select(l => l.GetType()), loaded.AllLayers.Select(l => l.GetType()));
        Assert.Equal(network.Parameters.Count, loaded.Parameters.Count);
        for (int p = 0; p < network.Parameters.Count; p++)
            Assert.Equal(network.Parameters[p].Value.Select(BitConverter.SingleToInt32Bits), loaded.Parameters[p].Value.Select(BitConverter.SingleToInt32Bits));
        var x = Enumerable.Range(0, 5 * 72).Select(i => MathF.Sin(i)).ToArray();
        var a = new float[15];
        var b = new float[15];
        network.Predict(x, 5, a);
        loaded.Predict(x, 5, b);
        Assert.Equal(a, b);
        Assert.Equal(NetworkSerializer.ToBytes(network), NetworkSerializer.ToBytes(loaded));
    }

    [Fact]
    public void EveryFlippedBitOfANestedNetworkIsInvalidData()
    {
        var bytes = NetworkSerializer.ToBytes(new Network(TensorShape.Vector(3),
            [new Residual(new Dense(3), new Tanh()), new Sequential(new Dense(2), new Sigmoid())], new MeanSquaredError()));
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromBytes(damaged));
        }
    }

    [Fact]
    public void DamageInsideAContainerResealedIsStillInvalidDataNeverACrash()
    {
        // Every 4-byte field of the payload overwritten with hostile values and the checksum made right again,
        // so that only the readers' bounds can catch it: each load ends in InvalidDataException or a valid network.
        var bytes = NetworkSerializer.ToBytes(Nested());
        foreach (int value in new[] { -1, 0, 1, 7, int.MaxValue, 1 << 20 })
        {
            for (int offset = 12; offset + 4 <= bytes.Length - 4; offset += 4)
            {
                var damaged = (byte[])bytes.Clone();
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(damaged.AsSpan(offset), value);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(damaged.AsSpan(damaged.Length - 4), Crc32.Compute(damaged.AsSpan(0, damaged.Length - 4)));
                try { NetworkSerializer.FromBytes(damaged); }
                catch (InvalidDataException) { }
            }
        }
    }

    [Fact]
    public void ATrainingWithContainersResumesFromItsCheckpointBitForBit()
    {
        var rng = new Rng(4);
        var x = Enumerable.Range(0, 120 * 72).Select(_ => rng.NextFloat(0, 1)).ToArray();
        var y = Enumerable.Range(0, 120).Select(i => (float)(i % 3)).ToArray();
        var data = new InMemoryDataset(x, y, TensorShape.Image(2, 6, 6));
        NetworkTrainer Trainer(Network network, string? checkpoint) => new(network, new Adam(0.01f),
            new TrainerOptions { Epochs = 4, BatchSize = 16, Seed = 2, ValidationFraction = 0.2f, CheckpointPath = checkpoint });

        var uninterrupted = Nested();
        Trainer(uninterrupted, null).Fit(data);

        string path = Path.Combine(_directory, "nested.ckpt");
        using var cts = new CancellationTokenSource();
        var interrupted = Nested();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer(interrupted, path).Fit(data, progress: new SyncProgress<EpochReport>(r => { if (r.Epoch == 2) cts.Cancel(); }), cancellationToken: cts.Token));
        var resumed = Nested();
        var result = Trainer(resumed, path).Fit(data);
        Assert.Equal(2, result.ResumedAfterEpoch);
        Assert.Equal(NetworkSerializer.ToBytes(uninterrupted), NetworkSerializer.ToBytes(resumed));
    }
}
