// DeepNet on the kind of data most ML.NET users have: a CSV with numeric and categorical columns and
// missing values. The columns' kinds come from the file (TabularColumns); each fold's pipeline fills
// missing numbers with the column mean, standardises them (NormalizeMeanVariance), one-hot encodes the
// categorical columns (a missing value is a category of its own), and trains one of four trainers:
// DeepNet with its tabular recipe (DeepNetOptions.ForTabular), LightGbm, FastForest (one-versus-all) and SDCA
// (maximum entropy). Scored by ML.NET's CrossValidate, 5 folds, seed 1, so every trainer sees the same folds.
// Default: the Palmer penguins (Data/penguins, CC0), predicting species.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Tabular
{
    private const int Folds = 5;

    /// <summary>
    /// DeepNet's tabular recipe (DeepNetOptions.ForTabular: its own robust input scaling, epochs and schedule scaled
    /// to the rows); a quick run takes 10 epochs.
    /// </summary>
    public static DeepNetOptions DeepNetOptions(bool quick)
    {
        var options = MLNetDeep.DeepNetOptions.ForTabular();
        options.Seed = 1;
        if (quick) options.Epochs = 10;
        return options;
    }

    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        string path = context.DataDirectory ?? Path.Combine(AppContext.BaseDirectory, "Data", "penguins", "penguins.csv");
        string label = context.LabelColumn ?? (context.DataDirectory is null ? "species" : throw new ArgumentException("--label COLUMN is needed with --data FILE for the tabular sample."));
        var columns = TabularColumns.Infer(ml, path);
        var data = ml.Data.Cache(columns.Load(ml, label));
        string[] numeric = columns.NumericFeatures(label).Select(c => c.Name).ToArray();
        string[] categorical = columns.CategoricalFeatures(label).Select(c => c.Name).ToArray();
        long rows = data.GetColumn<ReadOnlyMemory<char>>(label).LongCount();
        string description = $"{Path.GetFileName(path)}: {rows:N0} rows, label '{label}', {numeric.Length} numeric and {categorical.Length} categorical columns, {Folds}-fold cross-validation";
        AnsiConsole.MarkupLine(Markup.Escape(description));
        var kinds = new Table().AddColumns("column", "kind (inferred)", "featurized as");
        foreach (var (name, kind) in columns.Columns)
            kinds.AddRow(Markup.Escape(name), name == label ? "label" : kind.ToString(),
                name == label ? "MapValueToKey" : kind == ColumnKind.Numeric ? "ReplaceMissingValues (mean), NormalizeMeanVariance" : "OneHotEncoding");
        AnsiConsole.Write(kinds);

        // Fitted inside each fold, so no fold's means, deviations or categories come from its test rows.
        IEstimator<ITransformer> featurize = ml.Transforms.Conversion.MapValueToKey("Label", label);
        if (numeric.Length > 0)
            featurize = featurize
                .Append(ml.Transforms.ReplaceMissingValues(numeric.Select(n => new InputOutputColumnPair(n)).ToArray()))
                .Append(ml.Transforms.Concatenate("Numeric", numeric))
                .Append(ml.Transforms.NormalizeMeanVariance("Numeric"));
        if (categorical.Length > 0)
            featurize = featurize.Append(ml.Transforms.Categorical.OneHotEncoding(categorical.Select(c => new InputOutputColumnPair(c)).ToArray()));
        featurize = featurize.Append(ml.Transforms.Concatenate("Features", [.. numeric.Length > 0 ? ["Numeric"] : Array.Empty<string>(), .. categorical]));

        bool quick = context.Quick;
        var deepNet = DeepNetOptions(quick);
        var trainers = new List<(string Name, IEstimator<ITransformer> Trainer, DeepNetOptions? Options)>
        {
            ("DeepNet (ForTabular)", ml.MulticlassClassification.Trainers.DeepNet(deepNet), deepNet),
            ("LightGbm", ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
                { NumberOfIterations = quick ? 10 : 100, Seed = 1, NumberOfThreads = Environment.ProcessorCount }), null),
            ("FastForest (one-versus-all)", ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastForest(
                new FastForestBinaryTrainer.Options { NumberOfTrees = quick ? 10 : 100, NumberOfThreads = Environment.ProcessorCount })), null),
            ("SdcaMaximumEntropy", ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(), null),
        };

        var results = new List<(string Name, double Micro, double MicroSd, double Macro, double LogLoss, double Seconds)>();
        foreach (var (name, trainer, options) in trainers)
        {
            var pipeline = featurize.Append(trainer);
            var watch = Stopwatch.StartNew();
            var folds = options is null
                ? TrainingProgress.ShowUntimed($"{name}, {Folds} folds", () => ml.MulticlassClassification.CrossValidate(data, pipeline, Folds, "Label", seed: 1))
                : TrainingProgress.Show($"{name}, {Folds} folds", progress =>
                {
                    options.Progress = progress;
                    return ml.MulticlassClassification.CrossValidate(data, pipeline, Folds, "Label", seed: 1);
                }, runs: Folds);
            var micro = folds.Select(f => f.Metrics.MicroAccuracy).ToArray();
            double mean = micro.Average();
            double sd = Math.Sqrt(micro.Sum(m => (m - mean) * (m - mean)) / (micro.Length - 1));
            results.Add((name, mean, sd, folds.Average(f => f.Metrics.MacroAccuracy), folds.Average(f => f.Metrics.LogLoss), watch.Elapsed.TotalSeconds));
        }

        var table = new Table().Title(Markup.Escape(description))
            .AddColumns("trainer", "MicroAccuracy (mean ± sd over folds)", "MacroAccuracy", "LogLoss", "time, 5 folds");
        foreach (var r in results.OrderByDescending(r => r.Micro))
            table.AddRow(Markup.Escape(r.Name), $"{r.Micro:F4} ± {r.MicroSd:F4}", $"{r.Macro:F4}", $"{r.LogLoss:F4}", $"{r.Seconds:F1} s");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"[dim]DeepNet: {Markup.Escape(Describe(deepNet))}.[/]");

        var sorted = results.OrderByDescending(r => r.Micro).ToArray();
        var plot = Charts.New($"Cross-validated accuracy: {Path.GetFileName(path)}, label '{label}'", "", $"MicroAccuracy (mean ± sd, {Folds} folds)");
        plot.Add.Bars(sorted.Select((r, i) => new ScottPlot.Bar
        {
            Position = i, Value = r.Micro, Error = r.MicroSd, FillColor = Charts.ColorAt(r.Name.StartsWith("DeepNet") ? 1 : 0), Label = $"{r.Micro:F3}",
        }).ToList());
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, sorted.Length).Select(i => (double)i).ToArray(),
            sorted.Select(r => r.Name.Replace(" (", "\n(")).ToArray());
        plot.Axes.Bottom.MinimumSize = 60;
        plot.Axes.SetLimitsY(Math.Max(0, Math.Floor((sorted.Min(r => r.Micro - r.MicroSd)) * 20) / 20 - 0.05), 1.02);
        Charts.Save(plot, context.ChartPath("tabular.png"));
        return 0;
    }

    private static string Describe(DeepNetOptions o) =>
        $"DeepNetOptions.ForTabular(): input scaling {o.InputScaling}, "
        + (o.PeriodicEmbeddingSigma is { } sigma ? $"periodic embeddings of the features (frequencies drawn with deviation {sigma}), " : "")
        + $"hidden layers {string.Join("-", o.HiddenLayers)}, {o.Activation}, dropout {o.Dropout}, "
        + $"{o.Optimizer}{(o.WeightDecay is { } decay ? $" (decoupled weight decay {decay})" : "")} at {o.LearningRate} with a cosine schedule, "
        + (o.LabelSmoothing > 0 ? $"label smoothing {o.LabelSmoothing}, " : "")
        + $"{(o.Epochs is { } e ? $"{e} epochs" : "epochs scaled to the rows")} in batches of {o.BatchSize?.ToString() ?? "scaled to the rows"}"
        + (o.EnsembleSize > 1 ? $", {o.EnsembleSize} networks averaged" : "") + $", seed {o.Seed}";
}
