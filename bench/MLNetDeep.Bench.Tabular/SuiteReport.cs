using System.Globalization;
using System.Text;

namespace MLNetDeep.Bench.Tabular;

/// <summary>
/// The suite's table in Markdown: one row a table (each trainer's accuracy or RMSE, mean over the folds, and its time
/// for the 5 folds), then each trainer's mean rank (1 is best; ties share the mean of their ranks), its wins (sets
/// where it ranks first, ties included), and the sets where the first column beats FastForest.
/// </summary>
internal static class SuiteReport
{
    public static string Format(IReadOnlyList<SetScore> scores, IReadOnlyList<string> trainers)
    {
        var inv = CultureInfo.InvariantCulture;
        var sets = scores.Select(s => s.Set).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine($"| set | metric | {string.Join(" | ", trainers)} |");
        text.AppendLine($"|---|---|{string.Concat(trainers.Select(_ => "---:|"))}");
        var ranks = trainers.ToDictionary(t => t, _ => new List<double>());
        var wins = trainers.ToDictionary(t => t, _ => 0);
        foreach (string set in sets)
        {
            var row = trainers.Select(t => scores.Single(s => s.Set == set && s.Trainer == t)).ToList();
            bool regression = row[0].Task == TabularTask.Regression;
            var cells = row.Select(s => regression
                ? string.Format(inv, "{0:G4} (R² {1:F3}), {2:F1} s", s.Metric, s.RSquared, s.Seconds)
                : string.Format(inv, "{0:F4}, {1:F1} s", s.Metric, s.Seconds));
            text.AppendLine($"| {set} | {(regression ? "RMSE" : "accuracy")} | {string.Join(" | ", cells)} |");
            foreach (var s in row)
            {
                // Equal to 4 decimals counts as a tie.
                double Key(SetScore x) => Math.Round(x.HigherIsBetter ? -x.Metric : x.Metric, 4);
                int better = row.Count(o => Key(o) < Key(s));
                int equal = row.Count(o => Key(o) == Key(s));
                ranks[s.Trainer].Add(better + (equal + 1) / 2.0);
                if (better == 0) wins[s.Trainer]++;
            }
        }
        text.AppendLine($"| **mean rank** | | {string.Join(" | ", trainers.Select(t => ranks[t].Average().ToString("F2", inv)))} |");
        text.AppendLine($"| **wins** | | {string.Join(" | ", trainers.Select(t => wins[t].ToString(inv)))} |");
        text.AppendLine($"| **total time** | | {string.Join(" | ", trainers.Select(t => scores.Where(s => s.Trainer == t).Sum(s => s.Seconds).ToString("F0", inv) + " s"))} |");
        return text.ToString();
    }
}
