// XOR, as in the course: no single line separates 01 and 10 from 00 and 11, but a network with
// one hidden layer of two sigmoid units does. Trained here by plain gradient descent.
using MLNetDeep.Engine;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Xor
{
    public static int Run(SampleContext context)
    {
        float[] inputs = [0, 0, 0, 1, 1, 0, 1, 1];
        float[] xor = [0, 1, 1, 0];

        var network = new Network(TensorShape.Vector(2),
            [new Dense(2, Initializer.Normal(1f)), new Sigmoid(), new Dense(1, Initializer.Normal(1f))],
            new SigmoidBinaryCrossEntropy(), seed: 1);
        var trainer = new NetworkTrainer(network, new Sgd(learningRate: 1f), new TrainerOptions { Epochs = 5000, BatchSize = 4, Shuffle = false });
        var result = TrainingProgress.Show("2-2-1 sigmoid network", progress => trainer.Fit(new InMemoryDataset(inputs, xor, TensorShape.Vector(2)), progress: progress));
        AnsiConsole.MarkupLine($"Network {Markup.Escape(network.ToString())}");
        AnsiConsole.MarkupLine($"Trained {result.History.Count} epochs of gradient descent: loss {result.History[0].TrainingLoss:F4} -> {result.History[^1].TrainingLoss:F4}");

        // The hidden units' outputs y1, y2 are the first two layers applied alone.
        var x = new Tensor(inputs, 4, TensorShape.Vector(2));
        var hidden = network.Layers[1].Forward(network.Layers[0].Forward(x, training: false), training: false).Span.ToArray();
        var predicted = new float[4];
        network.Predict(inputs, 4, predicted);

        var table = new Table().AddColumns("x1", "x2", "y1", "y2", "ŷ", "prediction", "XOR");
        for (int i = 0; i < 4; i++)
        {
            table.AddRow($"{inputs[2 * i]:0}", $"{inputs[2 * i + 1]:0}", $"{hidden[2 * i]:F3}", $"{hidden[2 * i + 1]:F3}",
                $"{predicted[i]:F3}", predicted[i] > 0.5f ? "1" : "0", $"{xor[i]:0}");
        }
        AnsiConsole.Write(table);
        int correct = Enumerable.Range(0, 4).Count(i => (predicted[i] > 0.5f) == (xor[i] > 0.5f));
        AnsiConsole.MarkupLine($"Accuracy: [bold]{correct / 4.0:P0}[/]");
        return correct == 4 ? 0 : 1;
    }
}
