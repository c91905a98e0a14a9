using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetDeep.Bench.Tabular;

/// <summary>One trainer on one table: the mean of the metric over the folds (accuracy, or RMSE), R² for a regression, and the time.</summary>
internal sealed record SetScore(string Set, string Trainer, TabularTask Task, double Metric, double MetricSd, double RSquared, double Seconds)
{
    /// <summary>For classification, each fold's wrong rows out of its rows ("3/154"), from its confusion matrix; empty for a regression.</summary>
    public IReadOnlyList<string> FoldErrors { get; init; } = [];

    /// <summary>For classification, each wrong row: its fold, its class, the class predicted and its raw features.</summary>
    public IReadOnlyList<string> WrongRows { get; init; } = [];

    /// <summary>Higher is better for accuracy, lower for RMSE.</summary>
    public bool HigherIsBetter => Task != TabularTask.Regression;
}

/// <summary>
/// Cross-validates a trainer on a table, with the featurization an ML.NET user writes (the README's): the label
/// mapped for its task, missing numbers filled with the column mean and NormalizeMeanVariance with ML.NET's defaults,
/// categorical columns one-hot encoded. Fitted inside each fold; the folds come from ML.NET's CrossValidate with one
/// seed, the same for every trainer.
/// </summary>
internal static class CrossValidation
{
    public const int Folds = 5;

    public const int Seed = 1;

    public static SetScore Run(MLContext ml, TabularTable table, IDataView data, string trainerName)
    {
        var task = table.Set.Task;
        IEstimator<ITransformer> pipeline = task switch
        {
            TabularTask.Multiclass => ml.Transforms.Conversion.MapValueToKey("Label", nameof(TabularRow.ClassLabel)),
            TabularTask.Binary => ml.Transforms.CopyColumns("Label", nameof(TabularRow.BinaryLabel)),
            _ => ml.Transforms.CopyColumns("Label", nameof(TabularRow.Value)),
        };
        var parts = new List<string>();
        if (table.NumericColumns.Length > 0)
        {
            pipeline = pipeline
                .Append(ml.Transforms.ReplaceMissingValues("NumericFilled", nameof(TabularRow.Numeric), MissingValueReplacingEstimator.ReplacementMode.Mean))
                .Append(ml.Transforms.NormalizeMeanVariance("NumericScaled", "NumericFilled"));
            parts.Add("NumericScaled");
        }
        if (table.CategoricalColumns.Length > 0)
        {
            pipeline = pipeline.Append(ml.Transforms.Categorical.OneHotEncoding("CategoricalOneHot", nameof(TabularRow.Categorical)));
            parts.Add("CategoricalOneHot");
        }
        pipeline = pipeline.Append(ml.Transforms.Concatenate("Features", [.. parts])).AppendCacheCheckpoint(ml)
            .Append(SuiteTrainers.Create(ml, task, trainerName, table.Rows.Count));

        var watch = Stopwatch.StartNew();
        double[] metric, r2;
        string[] errors = [];
        List<string> wrong = [];
        switch (task)
        {
            case TabularTask.Binary:
                var binary = ml.BinaryClassification.CrossValidateNonCalibrated(data, pipeline, Folds, "Label", seed: Seed);
                metric = [.. binary.Select(f => f.Metrics.Accuracy)];
                errors = [.. binary.Select(f => Errors(f.Metrics.ConfusionMatrix))];
                foreach (var f in binary) wrong.AddRange(WrongRows(f.Fold, f.ScoredHoldOutSet, "BinaryLabel", s => s.GetColumn<bool>("Label").Zip(s.GetColumn<bool>("PredictedLabel"), (l, p) => (l != p, p.ToString()))));
                r2 = [];
                break;
            case TabularTask.Multiclass:
                var multi = ml.MulticlassClassification.CrossValidate(data, pipeline, Folds, "Label", seed: Seed);
                metric = [.. multi.Select(f => f.Metrics.MicroAccuracy)];
                errors = [.. multi.Select(f => Errors(f.Metrics.ConfusionMatrix))];
                foreach (var f in multi) wrong.AddRange(WrongRows(f.Fold, f.ScoredHoldOutSet, "ClassLabel", s => s.GetColumn<uint>("Label").Zip(s.GetColumn<uint>("PredictedLabel"), (l, p) => (l != p, $"class {p}"))));
                r2 = [];
                break;
            default:
                var regression = ml.Regression.CrossValidate(data, pipeline, Folds, "Label", seed: Seed);
                metric = [.. regression.Select(f => f.Metrics.RootMeanSquaredError)];
                r2 = [.. regression.Select(f => f.Metrics.RSquared)];
                break;
        }
        double seconds = watch.Elapsed.TotalSeconds;
        double mean = metric.Average();
        double sd = Math.Sqrt(metric.Sum(m => (m - mean) * (m - mean)) / (metric.Length - 1));
        return new SetScore(table.Set.Name, trainerName, task, mean, sd, r2.Length > 0 ? r2.Average() : double.NaN, seconds) { FoldErrors = errors, WrongRows = wrong };
    }

    /// <summary>The rows of a fold's scored hold-out set whose prediction is wrong, with their raw features.</summary>
    private static IEnumerable<string> WrongRows(int fold, IDataView scored, string classColumn, Func<IDataView, IEnumerable<(bool Wrong, string Predicted)>> outcomes)
    {
        var classes = classColumn == "BinaryLabel" ? scored.GetColumn<bool>(classColumn).Select(b => b.ToString()) : scored.GetColumn<string>(classColumn);
        var rows = classes.Zip(scored.GetColumn<float[]>(nameof(TabularRow.Numeric)), scored.GetColumn<string[]>(nameof(TabularRow.Categorical)));
        return rows.Zip(outcomes(scored)).Where(r => r.Second.Wrong).Select(r =>
            $"fold {fold}: {r.First.First}, predicted {r.Second.Predicted}; numeric [{string.Join(", ", r.First.Second.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}], categorical [{string.Join(", ", r.First.Third)}]");
    }

    /// <summary>The rows off the diagonal of a fold's confusion matrix, out of all its rows.</summary>
    private static string Errors(Microsoft.ML.Data.ConfusionMatrix matrix)
    {
        double all = 0, right = 0;
        for (int i = 0; i < matrix.Counts.Count; i++)
            for (int j = 0; j < matrix.Counts[i].Count; j++)
            {
                all += matrix.Counts[i][j];
                if (i == j) right += matrix.Counts[i][j];
            }
        return $"{all - right:F0}/{all:F0}";
    }
}
