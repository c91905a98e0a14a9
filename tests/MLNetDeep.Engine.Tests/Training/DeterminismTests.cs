using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

public class DeterminismTests
{
    /// <summary>Trains a network big enough that the matrix kernels split work over threads.</summary>
    private static byte[] Train(ulong seed, int threads)
    {
        var rng = new Rng(100);
        int n = 512, d = 300;
        var x = Enumerable.Range(0, n * d).Select(_ => rng.NextFloat(-1, 1)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => (float)(i % 10)).ToArray();
        var network = new Network(TensorShape.Vector(d), [new Dense(256), new Relu(), new Dropout(0.2f), new Dense(256), new Relu(), new Dense(10)], new SoftmaxCrossEntropy(), seed);
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { Epochs = 2, BatchSize = 128, Seed = seed, Threads = threads, ValidationFraction = 0.1f });
        trainer.Fit(new InMemoryDataset(x, y, TensorShape.Vector(d)));
        return NetworkSerializer.ToBytes(network);
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeightsAcrossRunsAndThreadCounts()
    {
        var oneThread = Train(seed: 5, threads: 1);
        Assert.Equal(oneThread, Train(seed: 5, threads: 1));
        Assert.Equal(oneThread, Train(seed: 5, threads: 2));
        Assert.NotEqual(oneThread, Train(seed: 6, threads: 1));
    }
}
