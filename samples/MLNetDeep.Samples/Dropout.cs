// Overfitting and dropout. A 784-512-512-10 network has far more weights than 1,000 training
// digits can pin down: it learns them by heart (training accuracy 100%) while the test accuracy
// stalls and the test loss climbs. Dropout (here 20% of the pixels and 50% of the hidden units, a
// fresh draw every step) forces redundant features: the test loss stops climbing. After every
// epoch both networks are measured, with dropout off, on the training digits and on 2,000 test
// digits that are never trained on; the measurement changes nothing in the training.
using Microsoft.ML;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Dropout
{
    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        var (trainView, testView, description) = Digits.Load(ml, context, context.Quick ? 300 : 1_000, context.Quick ? 300 : 2_000);
        var train = Digits.ToDataset(trainView);
        var test = Digits.ToDataset(testView);
        AnsiConsole.MarkupLine(Markup.Escape(description));
        // Quick mode keeps enough epochs for 300 digits to be learnt by heart, so that its check still means something.
        int epochs = context.Quick ? 20 : 40;

        var curves = new List<(string Name, List<(double TrainAcc, double TestAcc, double TrainLoss, double TestLoss)> Epochs)>();
        foreach (float rate in new[] { 0f, 0.5f })
        {
            // As in Srivastava et al. (2014): 20% of the pixels and 50% of the hidden units dropped.
            Layer[] input = rate > 0 ? [new Engine.Layers.Dropout(0.2f)] : [];
            Layer[] hidden(int units) => rate > 0 ? [new Dense(units, Initializer.HeNormal), new Relu(), new Engine.Layers.Dropout(rate)] : [new Dense(units, Initializer.HeNormal), new Relu()];
            var network = new Network(train.SampleShape, [.. input, .. hidden(512), .. hidden(512), new Dense(10)], new SoftmaxCrossEntropy(), seed: 1);
            var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { Epochs = epochs, BatchSize = 50, Seed = 1 });
            var points = new List<(double, double, double, double)>();
            // Called after each epoch: Evaluate runs the network in inference mode (no dropout, no update).
            string name = rate > 0 ? $"dropout 0.2 / {rate:0.0}" : "no dropout";
            TrainingProgress.Show(name, progress => trainer.Fit(train, progress: new Callback<EpochReport>(report =>
            {
                var (trainLoss, trainAcc) = trainer.Evaluate(train);
                var (testLoss, testAcc) = trainer.Evaluate(test);
                points.Add((trainAcc!.Value, testAcc!.Value, trainLoss, testLoss));
                progress.Report(report);
            })));
            curves.Add((name, points));
        }

        var table = new Table().AddColumns("network", "train accuracy", "test accuracy", "gap", "best test accuracy (epoch)", "test loss: lowest -> last");
        foreach (var (name, points) in curves)
        {
            var last = points[^1];
            int best = points.FindIndex(p => p.TestAcc == points.Max(q => q.TestAcc));
            int lowest = points.FindIndex(p => p.TestLoss == points.Min(q => q.TestLoss));
            table.AddRow(name, $"{last.TrainAcc:P1}", $"{last.TestAcc:P1}", $"{last.TrainAcc - last.TestAcc:P1}",
                $"{points[best].TestAcc:P1} ({best + 1})", $"{points[lowest].TestLoss:F3} (epoch {lowest + 1}) -> {last.TestLoss:F3}");
        }
        AnsiConsole.Write(table);

        double[] x = Enumerable.Range(1, epochs).Select(e => (double)e).ToArray();
        var accuracy = Charts.New($"Accuracy, {train.Count:N0} training digits", "epoch", "accuracy");
        var loss = Charts.New("Loss", "epoch", "cross-entropy");
        for (int i = 0; i < curves.Count; i++)
        {
            var (name, points) = curves[i];
            Charts.Line(accuracy, x, points.Select(p => p.TrainAcc).ToArray(), $"{name}: training", i, markers: false);
            Charts.Line(accuracy, x, points.Select(p => p.TestAcc).ToArray(), $"{name}: test", i);
            Charts.Line(loss, x, points.Select(p => p.TrainLoss).ToArray(), $"{name}: training", i, markers: false);
            Charts.Line(loss, x, points.Select(p => p.TestLoss).ToArray(), $"{name}: test", i);
        }
        Charts.IntegerX(accuracy);
        Charts.IntegerX(loss);
        accuracy.ShowLegend(ScottPlot.Alignment.LowerRight);
        loss.ShowLegend(ScottPlot.Alignment.UpperRight);
        Charts.SaveSideBySide(context.ChartPath("dropout.png"), 1400, 560, accuracy, loss);
        double without = curves[0].Epochs[^1].TestLoss, with = curves[1].Epochs[^1].TestLoss;
        return Claim.Check(with < without, $"the test loss with dropout is below the test loss without it at the last epoch ({epochs})", $"{with:F3} against {without:F3}");
    }
}
