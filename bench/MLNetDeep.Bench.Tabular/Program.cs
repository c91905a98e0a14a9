// The tabular suite: every trainer on every table, 5-fold cross-validation with seed 1, and a Markdown table of
// accuracy or RMSE, time, mean rank and wins. Options: --sets A,B (default all), --trainers X,Y (default the five),
// --data FOLDER (default Data/ beside the program), --wrong (list each wrongly classified row with its features).
using System.Diagnostics;
using Microsoft.ML;
using MLNetDeep.Bench.Tabular;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
string folder = Option("--data") ?? Path.Combine(AppContext.BaseDirectory, "Data");
var setNames = Option("--sets")?.Split(',') ?? TabularSet.Suite.Select(s => s.Name).ToArray();
var trainers = Option("--trainers")?.Split(',') ?? SuiteTrainers.Default;
var unknown = setNames.Where(n => TabularSet.Suite.All(s => s.Name != n)).ToArray();
if (unknown.Length > 0) throw new ArgumentException($"--sets: no set {string.Join(", ", unknown)}; known: {string.Join(", ", TabularSet.Suite.Select(s => s.Name))}.");

Console.WriteLine($"Processor: {Processor()}");
Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {CrossValidation.Folds}-fold cross-validation, seed {CrossValidation.Seed}.");
var total = Stopwatch.StartNew();
var scores = new List<SetScore>();
foreach (var set in TabularSet.Suite.Where(s => setNames.Contains(s.Name)))
{
    var table = TabularTable.Read(set, folder);
    Console.WriteLine($"{set.Name}: {table.Rows.Count} rows, {table.NumericColumns.Length} numeric and {table.CategoricalColumns.Length} categorical columns, {set.Task}{(table.Classes > 0 ? $", {table.Classes} classes" : "")}");
    var data = table.ToDataView(new MLContext(seed: CrossValidation.Seed));
    foreach (string trainer in trainers)
    {
        // A context of its own for each trainer: SDCA shuffles with the context's random numbers, whose state depends on
        // every component made from the context before it, so in a shared one its figure moved with the columns run before it.
        var score = CrossValidation.Run(new MLContext(seed: CrossValidation.Seed), table, data, trainer);
        scores.Add(score);
        Console.WriteLine($"  {trainer,-24} {(score.HigherIsBetter ? "accuracy" : "RMSE")} {score.Metric:G5} ± {score.MetricSd:G3}{(double.IsNaN(score.RSquared) ? "" : $", R² {score.RSquared:F3}")}, {score.Seconds:F1} s{(score.FoldErrors.Count > 0 ? $"; wrong per fold {string.Join(" ", score.FoldErrors)}" : "")}");
        if (args.Contains("--wrong"))
            foreach (string row in score.WrongRows) Console.WriteLine($"    {row}");
    }
}
Console.WriteLine();
Console.Write(SuiteReport.Format(scores, trainers));
Console.WriteLine();
Console.WriteLine($"Whole suite: {total.Elapsed.TotalMinutes:F1} min.");
return 0;

// The model name and SIMD flags of this machine, for the record beside every figure.
static string Processor()
{
    const string cpuinfo = "/proc/cpuinfo";
    if (!File.Exists(cpuinfo)) return "unknown";
    var lines = File.ReadLines(cpuinfo).ToList();
    string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
    var flags = Field("flags").Split(' ');
    string simd = string.Join(" ", new[] { "avx", "avx2", "fma", "avx512f" }.Where(flags.Contains));
    return $"{Field("model name")}, family {Field("cpu family")} model {Field("model\t")}, SIMD {simd}";
}
