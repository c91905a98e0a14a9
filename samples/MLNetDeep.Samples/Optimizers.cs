// Nine optimizers on one network (784-256-256-10 ReLU, Xavier, batches of 64, same seed), each at
// a learning rate that is usual for it: plain SGD needs a large one, the adaptive methods a small
// one, and AdaDelta none at all (1 leaves Zeiler's rule as published). The training loss of every
// epoch comes from DeepNetOptions.Progress; the accuracy from ML.NET's evaluator on the test digits.
using Microsoft.ML;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Optimizers
{
    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, description) = context.Quick ? Digits.Load(ml, context, 1_000, 500) : Digits.Load(ml, context);
        AnsiConsole.MarkupLine(Markup.Escape(description));

        (OptimizerKind Kind, float Rate)[] optimizers =
        [
            (OptimizerKind.Sgd, 0.1f), (OptimizerKind.Momentum, 0.01f), (OptimizerKind.Nesterov, 0.01f),
            (OptimizerKind.Adagrad, 0.01f), (OptimizerKind.RmsProp, 1e-3f), (OptimizerKind.AdaDelta, 1f),
            (OptimizerKind.Adam, 1e-3f), (OptimizerKind.AdamW, 1e-3f), (OptimizerKind.NAdam, 1e-3f),
        ];
        var finalLoss = new Dictionary<OptimizerKind, double>();
        var table = new Table().AddColumns("optimizer", "learning rate", "loss, epoch 1", "loss, last epoch", "test accuracy", "test log-loss");
        var plot = Charts.New("Training loss by optimizer (784-256-256-10 ReLU)", "epoch", "training loss (log scale)");
        for (int i = 0; i < optimizers.Length; i++)
        {
            var (kind, rate) = optimizers[i];
            var losses = new List<double>();
            var options = new DeepNetOptions
            {
                HiddenLayers = [256, 256], Activation = ActivationKind.ReLU, Initializer = InitializerKind.Xavier,
                Optimizer = kind, LearningRate = rate, Epochs = context.Quick ? 2 : 10, BatchSize = 64, Seed = 1,
            };
            var model = TrainingProgress.Show($"{kind} at {rate:G}", progress =>
            {
                options.Progress = new Callback<EpochReport>(report => { losses.Add(report.TrainingLoss); progress.Report(report); });
                return ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.DeepNet(options)).Fit(train);
            });
            finalLoss[kind] = losses[^1];
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            table.AddRow(kind.ToString(), $"{rate:G}", $"{losses[0]:F4}", $"{losses[^1]:F4}", $"{metrics.MicroAccuracy:P2}", $"{metrics.LogLoss:F4}");
            Charts.Line(plot, Enumerable.Range(1, losses.Count).Select(e => (double)e).ToArray(), losses.Select(Math.Log10).ToArray(), kind.ToString(), i);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Momentum and Nesterov (0.01, μ = 0.9) take about SGD's steps at 0.1 once their velocity has built up: their curves meet.");
        Charts.LogY(plot);
        Charts.IntegerX(plot);
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        Charts.Save(plot, context.ChartPath("optimizers.png"));
        double adam = finalLoss[OptimizerKind.Adam], sgd = finalLoss[OptimizerKind.Sgd];
        return Claim.Check(adam < sgd, "Adam's training loss after the last epoch is below plain SGD's, after the same epochs", $"{adam:F4} against {sgd:F4}");
    }
}
