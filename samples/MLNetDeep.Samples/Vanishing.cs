// The vanishing gradient: in a deep stack of sigmoid units every layer multiplies the gradient on
// its way back by sigmoid's slope (at most 0.25), so the layers near the input hardly learn.
// ReLU's slope is 1 where it is active, and the gradient reaches the first layer. Both networks
// below are the same (8 hidden layers of 128, Xavier initialisation, plain SGD) but for the unit.
// EpochReport.GradientNorms holds, per weighted layer, the mean L2 norm of its weight gradient.
// A third network keeps the sigmoid units and puts batch normalisation before each of them (Ioffe and
// Szegedy 2015): every layer's inputs to the sigmoid stay centred where its slope is largest, and the
// same deep sigmoid stack trains.
using Microsoft.ML;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Vanishing
{
    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, description) = context.Quick ? Digits.Load(ml, context, 1_000, 500) : Digits.Load(ml, context);
        AnsiConsole.MarkupLine(Markup.Escape(description));

        var runs = new List<(string Unit, TrainingResult Result, double Accuracy)>();
        foreach (var (unit, batchNorm) in new[] { (ActivationKind.Sigmoid, false), (ActivationKind.ReLU, false), (ActivationKind.Sigmoid, true) })
        {
            var options = new DeepNetOptions
            {
                HiddenLayers = Enumerable.Repeat(128, 8).ToArray(), Activation = unit, Initializer = InitializerKind.Xavier,
                Optimizer = OptimizerKind.Sgd, LearningRate = 0.1f, Epochs = context.Quick ? 1 : 3, BatchSize = 64, Seed = 1,
            };
            // Each hidden layer as Dense (no activation of its own), BatchNorm, then the sigmoid.
            if (batchNorm)
                options.Layers = Enumerable.Range(0, 8).SelectMany(_ => new[]
                    { DeepNetLayer.Dense(128, ActivationKind.Identity), DeepNetLayer.BatchNorm(), DeepNetLayer.Activation(unit) }).ToList();
            string name = batchNorm ? $"{unit} + batch norm" : unit.ToString();
            var deepNet = ml.MulticlassClassification.Trainers.DeepNet(options);
            var model = TrainingProgress.Show($"8 x {name}", progress =>
            {
                options.Progress = progress;
                return ml.Transforms.Conversion.MapValueToKey("Label").Append(deepNet).Fit(train);
            });
            double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            runs.Add((name, deepNet.LastTrainingResult!, accuracy));
        }

        // The first epoch is where it matters: the picture the network starts learning with.
        var sigmoid = runs[0].Result.History[0];
        var relu = runs[1].Result.History[0];
        var normalised = runs[2].Result.History[0];
        var table = new Table().Title("Mean weight-gradient norm per layer, epoch 1 (layer 1 is next to the input)")
            .AddColumns("layer", "sigmoid", "ReLU", "ReLU / sigmoid", "sigmoid + batch norm");
        for (int i = 0; i < sigmoid.GradientNorms.Count; i++)
            table.AddRow(Markup.Escape(sigmoid.LayerNames[i]), $"{sigmoid.GradientNorms[i]:0.00e+0}", $"{relu.GradientNorms[i]:0.00e+0}", $"{relu.GradientNorms[i] / sigmoid.GradientNorms[i]:F1}x", $"{normalised.GradientNorms[i]:0.00e+0}");
        AnsiConsole.Write(table);

        var results = new Table().AddColumns("hidden units", "first layer / last layer gradient", "training loss per epoch", "test accuracy");
        foreach (var (unit, result, accuracy) in runs)
        {
            var norms = result.History[0].GradientNorms;
            results.AddRow(unit, $"{norms[0] / norms[^1]:0.0e+0}",
                string.Join(" -> ", result.History.Select(r => r.TrainingLoss.ToString("F3"))), $"{accuracy:P1}");
        }
        AnsiConsole.Write(results);

        var plot = Charts.New("Vanishing gradient: 8 hidden layers, epoch 1", "layer (1 = next to the input, 9 = output)", "mean |dLoss/dW| (log scale)");
        double[] layers = Enumerable.Range(1, sigmoid.GradientNorms.Count).Select(i => (double)i).ToArray();
        Charts.Line(plot, layers, sigmoid.GradientNorms.Select(Math.Log10).ToArray(), "sigmoid", 0);
        Charts.Line(plot, layers, relu.GradientNorms.Select(Math.Log10).ToArray(), "ReLU", 1);
        Charts.Line(plot, layers, normalised.GradientNorms.Select(Math.Log10).ToArray(), "sigmoid + batch norm", 2);
        Charts.LogY(plot);
        Charts.IntegerX(plot);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        Charts.Save(plot, context.ChartPath("vanishing.png"));
        // The sample's point: the gradient that reaches the first layer is larger through ReLU than through sigmoid.
        int reluClaim = Claim.Check(relu.GradientNorms[0] > sigmoid.GradientNorms[0],
            $"{runs[1].Unit}'s first-layer gradient norm is above {runs[0].Unit}'s",
            $"{relu.GradientNorms[0]:0.00e+0} against {sigmoid.GradientNorms[0]:0.00e+0}");
        // Batch norm's claim: the sigmoid stack that stalls without it trains with it (10 points of test accuracy and more).
        const string normClaim = "batch norm makes the 8-layer sigmoid network train: its test accuracy is 10 points or more above the plain one's";
        string evidence = $"{runs[2].Accuracy:P1} against {runs[0].Accuracy:P1}";
        int normResult = context.Quick
            ? Claim.Skipped(normClaim, $"{evidence} after one epoch on 1,000 rows")
            : Claim.Check(runs[2].Accuracy >= runs[0].Accuracy + 0.10, normClaim, evidence);
        return Claim.All(reluClaim, normResult);
    }
}
