// DeepNet against ML.NET's own multiclass trainers, on the same rows, through the same pipeline
// (MapValueToKey on the label, the 784 pixels in [0, 1] as features), scored by ML.NET's own
// evaluator on rows none of them trained on. Default: the embedded digits, 8,000 train and 2,000
// test; --data DIR: any IDX folder with MNIST's file names, e.g. Fashion-MNIST. Three DeepNet networks: an MLP,
// lab-11's CNN, and the modern CNN of the cnn sample (batch norm after pooling, augmentation, label smoothing).
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Compare
{
    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, description) = context.Quick ? Digits.Load(ml, context, 600, 300) : Digits.Load(ml, context);
        AnsiConsole.MarkupLine(Markup.Escape(description));
        bool quick = context.Quick;

        // On Fashion-MNIST (docs/BENCHMARKS.md): 90.62 % after 40 epochs in 96 s, against 90.35 % after 20 and
        // 90.02 % with He's initialisation and dropout 0.3; LightGbm takes 126 to 134 s there.
        var deepNet = new DeepNetOptions
        {
            HiddenLayers = [512, 512], Activation = ActivationKind.ReLU, Dropout = 0.2f, Initializer = InitializerKind.Xavier,
            Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, Epochs = quick ? 3 : 40, BatchSize = 128, Seed = 1,
            LearningRateSchedule = CosineSchedule.OverAllEpochs(),
        };
        var cnn = Cnn.Options(quick ? 1 : 12);
        // Left-right flips keep a garment a garment, not a digit a digit: only Fashion-MNIST's folder gets them.
        bool clothes = context.DataDirectory is { } folder && folder.Contains("fashion", StringComparison.OrdinalIgnoreCase);
        var modern = Cnn.ModernOptions(quick ? 1 : context.DataDirectory is null ? 15 : 22, clothes);
        // Short names are the chart's tick labels: at most about ten characters a line, so that eight fit side by side.
        var trainers = new List<(string Name, string Short, IEstimator<ITransformer> Trainer, DeepNetOptions? Options)>
        {
            ("DeepNet MLP 784-512-512-10", "DeepNet MLP\n784-512-\n512-10", ml.MulticlassClassification.Trainers.DeepNet(deepNet), deepNet),
            ("DeepNet CNN (lab-11)", "DeepNet CNN\nconv32-\nconv64", ml.MulticlassClassification.Trainers.DeepNet(cnn), cnn),
            ("DeepNet modern CNN (batch norm)", "DeepNet\nmodern\nCNN", ml.MulticlassClassification.Trainers.DeepNet(modern), modern),
            ("LightGbm", "LightGbm", ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
                { NumberOfIterations = quick ? 10 : 100, Seed = 1, NumberOfThreads = Environment.ProcessorCount }), null),
            ("FastForest (one-versus-all)", "FastForest\n(one-vs-\nall)", ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options { NumberOfTrees = quick ? 5 : 100, NumberOfThreads = Environment.ProcessorCount })), null),
            ("LinearSvm (one-versus-all)", "LinearSvm\n(one-vs-\nall)", ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.LinearSvm()), null),
            ("SdcaMaximumEntropy", "SDCA\nMaximum-\nEntropy", ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: quick ? 5 : null), null),
            ("LbfgsMaximumEntropy", "L-BFGS\nMaximum-\nEntropy", ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), null),
        };

        var rows = new List<(string Name, string Short, double Micro, double Macro, double LogLoss, double Seconds, double CpuSeconds)>();
        var total = Stopwatch.StartNew();
        foreach (var (name, shortName, trainer, options) in trainers)
        {
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer);
            var model = options is null
                ? TrainingProgress.ShowUntimed(name, () => pipeline.Fit(train))
                : TrainingProgress.Show(name, progress => { options.Progress = progress; return pipeline.Fit(train); });
            double seconds = watch.Elapsed.TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            rows.Add((name, shortName, metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, seconds, cpuSeconds));
            AnsiConsole.MarkupLine($"  {Markup.Escape(name)}: MicroAccuracy {metrics.MicroAccuracy:F4}, {seconds:F1} s of training");
        }

        var table = new Table().Title(Markup.Escape(description)).AddColumns("trainer", "MicroAccuracy", "MacroAccuracy", "LogLoss", "training time", "CPU time");
        foreach (var row in rows.OrderByDescending(r => r.Micro))
            table.AddRow(Markup.Escape(row.Name), $"{row.Micro:F4}", $"{row.Macro:F4}", $"{row.LogLoss:F4}", $"{row.Seconds:F1} s", $"{row.CpuSeconds:F1} s");
        AnsiConsole.Write(table);
        var best = rows.Where(r => !r.Name.StartsWith("DeepNet")).MaxBy(r => r.Micro);
        var deepBest = rows.Where(r => r.Name.StartsWith("DeepNet")).MaxBy(r => r.Micro);
        AnsiConsole.MarkupLine(deepBest.Micro > best.Micro
            ? $"[green]DeepNet is the most accurate[/]: {Markup.Escape(deepBest.Name)} {deepBest.Micro:F4} against {Markup.Escape(best.Name)}'s {best.Micro:F4}."
            : $"[yellow]{Markup.Escape(best.Name)} is the most accurate[/]: {best.Micro:F4} against DeepNet's {deepBest.Micro:F4}.");
        // Wall times mean little on a shared machine: say how busy it was.
        string load = File.Exists("/proc/loadavg") ? $", load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}" : "";
        AnsiConsole.MarkupLine($"Total {total.Elapsed.TotalSeconds:F0} s on {Environment.ProcessorCount} cores{load}.");

        var sorted = rows.OrderByDescending(r => r.Micro).ToArray();
        string[] labels = sorted.Select(r => r.Short).ToArray();
        double[] positions = Enumerable.Range(0, sorted.Length).Select(i => (double)i).ToArray();
        var accuracy = Charts.New($"Test accuracy (MicroAccuracy): {description}", "", "accuracy");
        accuracy.Add.Bars(sorted.Select((r, i) => new ScottPlot.Bar
            { Position = i, Value = r.Micro, FillColor = Charts.ColorAt(r.Name.StartsWith("DeepNet") ? 1 : 0), Label = $"{r.Micro:F4}" }).ToList());
        accuracy.Axes.Bottom.SetTicks(positions, labels);
        accuracy.Axes.SetLimitsY(Math.Floor(sorted.Min(r => r.Micro) * 20) / 20 - 0.05, 1.0);
        var time = Charts.New("Training time", "", "seconds");
        time.Add.Bars(sorted.Select((r, i) => new ScottPlot.Bar
            { Position = i, Value = r.Seconds, FillColor = Charts.ColorAt(r.Name.StartsWith("DeepNet") ? 1 : 0), Label = $"{r.Seconds:F1} s" }).ToList());
        time.Axes.Bottom.SetTicks(positions, labels);
        time.Axes.SetLimitsY(0, sorted.Max(r => r.Seconds) * 1.15);
        accuracy.Axes.Bottom.MinimumSize = time.Axes.Bottom.MinimumSize = 80;
        Charts.SaveSideBySide(context.ChartPath("compare.png"), 1600, 600, accuracy, time);

        const string claim = "DeepNet's test accuracy is above every built-in trainer's";
        string evidence = $"{deepBest.Name} {deepBest.Micro:F4} against {best.Name}'s {best.Micro:F4}";
        return quick
            ? Claim.Skipped(claim, $"{evidence}, but 600 rows and 1 to 3 epochs say nothing about which trainer is best")
            : Claim.Check(deepBest.Micro > best.Micro, claim, evidence);
    }
}
