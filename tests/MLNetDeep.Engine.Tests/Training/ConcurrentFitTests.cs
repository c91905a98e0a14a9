using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>
/// Each training runs with its own compute context, so two trainings in one process with different thread counts
/// do not disturb each other: started at the same moment, each ends with exactly the bits it ends with alone.
/// </summary>
public class ConcurrentFitTests
{
    private static (InMemoryDataset Data, Func<Network> Network) Problem()
    {
        var rng = new Rng(21);
        int n = 384, d = 200;
        var x = Enumerable.Range(0, n * d).Select(_ => rng.NextFloat(-1, 1)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => (float)(i % 5)).ToArray();
        // Large enough that the products, the ReLU passes and Adam's update all split over two threads.
        return (new InMemoryDataset(x, y, TensorShape.Vector(d)), () => new Network(TensorShape.Vector(d),
            [new Dense(320), new Relu(), new Dropout(0.2f), new Residual(new Dense(320), new Relu()), new Dense(5)],
            new SoftmaxCrossEntropy(), seed: 3));
    }

    private static byte[] Fit(InMemoryDataset data, Network network, int threads)
    {
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { Epochs = 3, BatchSize = 64, Seed = 8, Threads = threads });
        trainer.Fit(data);
        return NetworkSerializer.ToBytes(network);
    }

    [Fact]
    public void TwoFitsAtOnceWithOneAndTwoThreadsGiveTheBitsEachGivesAlone()
    {
        var (data, make) = Problem();
        byte[] aloneOne = Fit(data, make(), threads: 1);
        byte[] aloneTwo = Fit(data, make(), threads: 2);
        Assert.Equal(aloneOne, aloneTwo); // and, as ever, the thread count does not change a bit

        for (int round = 0; round < 3; round++)
        {
            byte[]? one = null, two = null;
            using var start = new Barrier(2);
            var first = new Thread(() => { var n = make(); start.SignalAndWait(); one = Fit(data, n, threads: 1); });
            var second = new Thread(() => { var n = make(); start.SignalAndWait(); two = Fit(data, n, threads: 2); });
            first.Start();
            second.Start();
            first.Join();
            second.Join();
            Assert.Equal(aloneOne, one);
            Assert.Equal(aloneTwo, two);
        }
    }
}
