// Initialising the weights in a smart way (the course's lab-10-2 against lab-10-3): the same
// 784-256-256-10 ReLU network trained the same way, with weights drawn from N(0, 1), from
// Xavier/Glorot (variance 2 / (fan-in + fan-out)) and from He (variance 2 / fan-in, made for ReLU).
// With N(0, 1) the activations grow by about sqrt(fan-in) per layer and the first losses are huge.
using Microsoft.ML;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Training;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Init
{
    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, description) = context.Quick ? Digits.Load(ml, context, 1_000, 500) : Digits.Load(ml, context);
        AnsiConsole.MarkupLine(Markup.Escape(description));

        // DBN pre-training: one RBM per hidden layer trained greedily on the pixels (CD-1), whose
        // weights then start the same network; its output layer is drawn like the N(0, 1) row's.
        var dbn = new PretrainingOptions { Epochs = context.Quick ? 1 : 5, LearningRate = 0.1f, Momentum = 0.5f, BatchSize = 100, Seed = 1 };
        var rows = new List<(string Name, string Rule, InitializerKind Kind, PretrainingOptions? Pretraining)>
        {
            ("random normal", "N(0, 1)", InitializerKind.Normal, null),
            ("Xavier", "U(±sqrt(6 / (fan-in + fan-out)))", InitializerKind.Xavier, null),
            ("He", "N(0, 2 / fan-in)", InitializerKind.He, null),
            ("DBN pre-training", $"RBMs, CD-1, {dbn.Epochs} epochs a layer", InitializerKind.Normal, dbn),
        };

        var accuracies = new Dictionary<string, double>();
        var table = new Table().AddColumns("initialisation", "weights", "loss, epoch 1", "loss, last epoch", "test accuracy");
        var plot = Charts.New("Training loss by initialisation (784-256-256-10 ReLU, Adam)", "epoch", "training loss (log scale)");
        for (int i = 0; i < rows.Count; i++)
        {
            var (name, rule, kind, pretraining) = rows[i];
            var options = new DeepNetOptions
            {
                HiddenLayers = [256, 256], Activation = ActivationKind.ReLU, Initializer = kind,
                Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, Epochs = context.Quick ? 2 : 15, BatchSize = 100, Seed = 1,
                Pretraining = pretraining,
            };
            var deepNet = ml.MulticlassClassification.Trainers.DeepNet(options);
            var model = TrainingProgress.Show(name, progress =>
            {
                options.Progress = progress;
                return ml.Transforms.Conversion.MapValueToKey("Label").Append(deepNet).Fit(train);
            });
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            var history = deepNet.LastTrainingResult!.History;
            table.AddRow(name, Markup.Escape(rule), $"{history[0].TrainingLoss:F3}", $"{history[^1].TrainingLoss:F4}", $"{metrics.MicroAccuracy:P2}");
            accuracies[name] = metrics.MicroAccuracy;
            Charts.Line(plot, history.Select(r => (double)r.Epoch).ToArray(), history.Select(r => Math.Log10(r.TrainingLoss)).ToArray(), name, i);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[dim]DBN pre-training starts the hidden layers from small, data-shaped weights instead of N(0, 1)'s huge ones (its output layer is still N(0, 1)); for a ReLU network Xavier and He do better still, the course's point in lab-10.[/]");
        Charts.LogY(plot);
        Charts.IntegerX(plot);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        Charts.Save(plot, context.ChartPath("init.png"));
        // The course's point in lab-10: a scaled initialisation beats N(0, 1) for this network.
        double normal = accuracies["random normal"];
        return Claim.All(
            Claim.Check(accuracies["Xavier"] > normal, "Xavier's test accuracy is above N(0, 1)'s", $"{accuracies["Xavier"]:P2} against {normal:P2}"),
            Claim.Check(accuracies["He"] > normal, "He's test accuracy is above N(0, 1)'s", $"{accuracies["He"]:P2} against {normal:P2}"));
    }
}
