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

    /// <summary>A CNN with batch and layer normalisation, same padding, global pooling and the smooth activations, big enough that the convolutions split over threads.</summary>
    private static byte[] TrainNormalized(ulong seed, int threads)
    {
        var rng = new Rng(101);
        int n = 192;
        var shape = TensorShape.Image(2, 12, 12);
        var x = Enumerable.Range(0, n * shape.Size).Select(_ => rng.NextFloat(-1, 1)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => (float)(i % 4)).ToArray();
        var network = new Network(shape,
            [new Conv2D(8, 3, ConvPadding.Same), new BatchNorm(), new Gelu(), new Conv2D(8, 3, ConvPadding.Same, stride: 2), new Relu(), new LayerNorm(),
             new Conv2D(6, 3, ConvPadding.Same), new Silu(), new GlobalAveragePool2D(), new Dense(32), new BatchNorm(), new Selu(), new Dropout(0.2f),
             new Dense(16), new Softplus(), new Dense(4)],
            new SoftmaxCrossEntropy(), seed);
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = seed, Threads = threads, ValidationFraction = 0.1f });
        trainer.Fit(new InMemoryDataset(x, y, shape));
        var prediction = new float[n * 4];
        network.Predict(x, n, prediction, compute: ComputeContext.Create(threads));
        return [.. NetworkSerializer.ToBytes(network), .. prediction.SelectMany(BitConverter.GetBytes)];
    }

    [Fact]
    public void NormalizationLayersGiveBitIdenticalWeightsAndPredictionsAcrossRunsAndThreadCounts()
    {
        var oneThread = TrainNormalized(seed: 5, threads: 1);
        Assert.Equal(oneThread, TrainNormalized(seed: 5, threads: 1));
        Assert.Equal(oneThread, TrainNormalized(seed: 5, threads: 2));
        Assert.NotEqual(oneThread, TrainNormalized(seed: 6, threads: 1));
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
