using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;
using Xunit.Abstractions;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>A small CNN on the embedded digits (first 8,000 train, last 2,000 test), the course's CNN lab.</summary>
public class CnnDigitsTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoConvolutionLayersReach98PercentOnTheTestDigits()
    {
        var (train, test) = MnistTests.Digits();
        var network = new Network(TensorShape.Image(1, 28, 28),
            [new Conv2D(32, 3, padding: 1), new Relu(), new MaxPool2D(2),
             new Conv2D(64, 3, padding: 1), new Relu(), new MaxPool2D(2),
             new Dropout(0.3f), new Dense(10)],
            new SoftmaxCrossEntropy(), seed: Seed);
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { Epochs = Epochs, BatchSize = 100, Seed = Seed });
        var result = trainer.Fit(train);
        var (_, accuracy) = trainer.Evaluate(test);
        double samplesPerSecond = result.History.Skip(1).Average(r => r.SamplesPerSecond); // the first epoch warms up
        output.WriteLine($"CNN on the embedded digits after {Epochs} epochs: test accuracy {accuracy:P2}, {samplesPerSecond:F0} training samples/s");
        // TorchSharp reached 98.5% with this network, optimizer and batch in 15 epochs.
        Assert.True(accuracy >= 0.98, $"test accuracy {accuracy:P2}");
    }

    /// <summary>
    /// With seeds 1 to 5 this recipe ended at 98.15% to 98.65% after 15 epochs, and at 98.00% or more
    /// after 14; after 12 or 13 epochs some seeds were still below 98%, as Adam at a constant rate
    /// moves the test accuracy by a few tenths from one epoch to the next.
    /// </summary>
    private const int Epochs = 15;

    /// <summary>98.65% after 15 epochs, the same with every GEMM path (they add in the same order).</summary>
    private const ulong Seed = 2;
}
