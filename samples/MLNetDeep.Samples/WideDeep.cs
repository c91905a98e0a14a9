// The course's exercise "Wide and Deep NN for MNIST" (TensorFlow lab-10): five networks, each one
// change from the last, all trained with Adam (0.001), batches of 100, 15 epochs:
//   softmax  784-10, weights N(0, 1)                       lab-10-1
//   NN       784-256-256-10 ReLU, weights N(0, 1)          lab-10-2
//   Xavier   the same, Xavier initialisation               lab-10-3
//   deep     784-512-512-512-512-10, Xavier                lab-10-4
//   dropout  the same, dropout 0.3 (keep_prob 0.7)         lab-10-5
// The course's figures are its own, on full MNIST (60,000 training images); ours come from the
// 8,000 embedded digits (or --data), so expect lower numbers, and the same order.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class WideDeep
{
    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, description) = context.Quick ? Digits.Load(ml, context, 1_000, 500) : Digits.Load(ml, context);
        AnsiConsole.MarkupLine(Markup.Escape(description));

        int[] deep = [512, 512, 512, 512];
        (string Name, int[] Hidden, InitializerKind Init, float Dropout, double Course)[] labs =
        [
            ("softmax", [], InitializerKind.Normal, 0f, 0.904),
            ("NN", [256, 256], InitializerKind.Normal, 0f, 0.945),
            ("Xavier", [256, 256], InitializerKind.Xavier, 0f, 0.978),
            ("deep", deep, InitializerKind.Xavier, 0f, 0.9742),
            ("dropout", deep, InitializerKind.Xavier, 0.3f, 0.9804),
        ];

        int epochs = context.Quick ? 2 : 15;
        long steps = epochs * ((train.GetColumn<float>("Label").LongCount() + 99) / 100);
        var table = new Table().AddColumns("lab-10", "network", "weights", "course", "MLNetDeep", "training time")
            .Caption($"course: TensorFlow, full MNIST (60,000 images, 9,000 steps); MLNetDeep: test accuracy, {Markup.Escape(description)}, {steps:N0} steps");
        var names = new List<string>();
        var ours = new List<double>();
        foreach (var (name, hidden, init, dropout, course) in labs)
        {
            var options = new DeepNetOptions
            {
                HiddenLayers = hidden, Activation = ActivationKind.ReLU, Initializer = init, Dropout = dropout,
                Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, Epochs = epochs, BatchSize = 100, Seed = 1,
            };
            var watch = Stopwatch.StartNew();
            var model = TrainingProgress.Show(name, progress =>
            {
                options.Progress = progress;
                return ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.DeepNet(options)).Fit(train);
            });
            watch.Stop();
            double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            string layers = string.Join("-", [784, .. hidden, 10]) + (dropout > 0 ? $", dropout {dropout}" : "");
            table.AddRow(name, layers, init == InitializerKind.Normal ? "N(0, 1)" : "Xavier", $"{course:P2}", $"{accuracy:P2}", $"{watch.Elapsed.TotalSeconds:F1} s");
            names.Add(name);
            ours.Add(accuracy);
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("The course's figures are its own. With fewer rows and steps here, the N(0, 1) networks, which start far off, fall furthest behind.");

        var plot = Charts.New("Wide and deep (lab-10): test accuracy", "", "test accuracy");
        var bars = new List<ScottPlot.Bar>();
        for (int i = 0; i < labs.Length; i++)
        {
            bars.Add(new ScottPlot.Bar { Position = 3 * i, Value = labs[i].Course, FillColor = Charts.ColorAt(0), Label = $"{labs[i].Course:P1}" });
            bars.Add(new ScottPlot.Bar { Position = 3 * i + 1, Value = ours[i], FillColor = Charts.ColorAt(1), Label = $"{ours[i]:P1}" });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labs.Length).Select(i => 3 * i + 0.5).ToArray(), names.ToArray());
        plot.Axes.SetLimitsY(Math.Min(0.8, Math.Floor(ours.Min() * 10) / 10 - 0.05), 1.0);
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "course (TensorFlow, MNIST 60k)", FillColor = Charts.ColorAt(0) });
        plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "MLNetDeep, " + description, FillColor = Charts.ColorAt(1) });
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        Charts.Save(plot, context.ChartPath("widedeep.png"));

        // The two steps of lab-10 whose argument rests on the order: a scaled initialisation beats N(0, 1) on the same
        // network, and dropout lets the deep network do better than it does without.
        double nn = ours[1], xavier = ours[2], deeper = ours[3], withDropout = ours[4];
        int initialisation = Claim.Check(xavier > nn, "Xavier's test accuracy is above NN's (the same network from N(0, 1))", $"{xavier:P2} against {nn:P2}");
        const string dropoutClaim = "the deep network's test accuracy with dropout is above its accuracy without";
        int dropoutCheck = context.Quick
            ? Claim.Skipped(dropoutClaim, $"{withDropout:P2} against {deeper:P2}, but {steps} steps are too few for the deep network to overfit")
            : Claim.Check(withDropout > deeper, dropoutClaim, $"{withDropout:P2} against {deeper:P2}");
        return Claim.All(initialisation, dropoutCheck);
    }
}
