using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>The course's XOR: no line separates it, one hidden layer does.</summary>
public class XorTests
{
    private static readonly float[] Inputs = [0, 0, 0, 1, 1, 0, 1, 1];
    private static readonly float[] Xor = [0, 1, 1, 0];

    /// <summary>Trains by plain full-batch gradient descent and returns the four predicted probabilities.</summary>
    internal static float[] TrainXor(Layer[] layers, int epochs, float learningRate, ulong seed)
    {
        var network = new Network(TensorShape.Vector(2), layers, new SigmoidBinaryCrossEntropy(), seed);
        var data = new InMemoryDataset(Inputs, Xor, TensorShape.Vector(2));
        new NetworkTrainer(network, new Sgd(learningRate), new TrainerOptions { Epochs = epochs, BatchSize = 4, Shuffle = false }).Fit(data);
        var predictions = new float[4];
        network.Predict(Inputs, 4, predictions);
        return predictions;
    }

    private static double Accuracy(float[] p) => Enumerable.Range(0, 4).Count(i => (p[i] > 0.5f) == (Xor[i] > 0.5f)) / 4.0;

    [Fact]
    public void TwoTwoOneSigmoidNetworkSolvesXor()
    {
        var p = TrainXor([new Dense(2, Initializer.Normal(1f)), new Sigmoid(), new Dense(1, Initializer.Normal(1f))], epochs: 5000, learningRate: 1f, seed: 1);
        Assert.True(p[0] < 0.5f && p[3] < 0.5f, $"00 and 11 must be under 0.5: {string.Join(", ", p)}");
        Assert.True(p[1] > 0.5f && p[2] > 0.5f, $"01 and 10 must be over 0.5: {string.Join(", ", p)}");
        Assert.Equal(1.0, Accuracy(p));
    }

    [Fact]
    public void LogisticRegressionCannotExceedThreeOfFour()
    {
        // A linear boundary separates at most 3 of the 4 XOR points, however long it trains.
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var p = TrainXor([new Dense(1, Initializer.Normal(1f))], epochs: 3000, learningRate: 1f, seed);
            Assert.True(Accuracy(p) <= 0.75, $"seed {seed}: accuracy {Accuracy(p)}");
        }
    }

    [Fact]
    public void DeepAndWideNetworkSolvesXor()
    {
        var p = TrainXor([new Dense(10), new Sigmoid(), new Dense(10), new Sigmoid(), new Dense(10), new Sigmoid(), new Dense(1)],
            epochs: 5000, learningRate: 1f, seed: 1);
        Assert.Equal(1.0, Accuracy(p));
    }
}
