using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Training;
using MLNetDeep.Engine.Training;
using Xunit.Abstractions;

namespace MLNetDeep.Engine.Tests.Pretraining;

/// <summary>
/// The course's claim (07 "Initialize Weights in a Smart Way"): a deep sigmoid network trains better when
/// its weights come from a DBN than from random normal draws. Both networks are built from the same seed
/// with every dense layer drawn from Normal(0, 1), the course's "random normal"; the pre-trained one then
/// has its four hidden layers' weights and biases replaced by the DBN's, and its output layer is the same
/// draw as the baseline's. Both are fine-tuned identically: plain SGD (learning rate 0.1, no momentum),
/// batches of 100, 3 epochs over the 8,000 training digits, the same shuffling seed.
/// </summary>
public class PretrainingMnistTests(ITestOutputHelper output)
{
    private static readonly int[] Hidden = [256, 256, 256, 256];

    private static Network SigmoidNetwork(ulong seed)
    {
        var layers = new List<Layer>();
        foreach (int units in Hidden)
        {
            layers.Add(new Dense(units, Initializer.Normal(1f)));
            layers.Add(new Sigmoid());
        }
        layers.Add(new Dense(10, Initializer.Normal(1f)));
        return new Network(TensorShape.Vector(784), layers, new SoftmaxCrossEntropy(), seed);
    }

    private static double FineTune(Network network, InMemoryDataset train, InMemoryDataset test, ulong seed)
    {
        var trainer = new NetworkTrainer(network, new Sgd(0.1f), new TrainerOptions { Epochs = 3, BatchSize = 100, Seed = seed });
        trainer.Fit(train);
        return trainer.Evaluate(test).Accuracy!.Value;
    }

    [Fact]
    public void DbnPretrainingBeatsRandomNormalInitialisationForEverySeed()
    {
        var (train, test) = MnistTests.Digits();
        var results = new List<(ulong Seed, double Random, double Pretrained)>();
        output.WriteLine("seed | Normal(0, 1) init | DBN pre-trained (test accuracy after 3 epochs of SGD)");
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            double random = FineTune(SigmoidNetwork(seed), train, test, seed);
            // CD-1, 2 epochs per layer, the guide's defaults otherwise (learning rate 0.1, momentum 0.5, weight cost 0.0002).
            var dbn = DeepBeliefNetwork.Pretrain(train, Hidden, new PretrainingOptions { Epochs = 2, BatchSize = 100, Seed = seed });
            var network = SigmoidNetwork(seed);
            dbn.InitializeDense(network);
            double pretrained = FineTune(network, train, test, seed);
            output.WriteLine($"{seed} | {random:P2} | {pretrained:P2}");
            results.Add((seed, random, pretrained));
        }
        foreach (var (seed, random, pretrained) in results)
            Assert.True(pretrained > random, $"seed {seed}: pre-trained {pretrained:P2} is not above random normal {random:P2}");
    }
}
