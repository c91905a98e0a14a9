// Peak memory of DeepNet's data paths, each measurement in a process of its own (docs/BENCHMARKS.md):
//   reader <rows> <features>   the in-memory reader: one epoch of a linear model on generated rows read into memory
//   stream <rows> <features>   streaming mode: one epoch of a 32-unit network on generated rows never held
//   all                        reader 1M x 100, stream 1M x 100 and 10M x 100 twice each, as a markdown table
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML;
using MLNetDeep;
using MLNetDeep.Bench.Memory;

if (args is ["all"]) return RunAll();
if (args.Length != 3 || args[0] is not ("reader" or "stream"))
{
    Console.Error.WriteLine("usage: MLNetDeep.Bench.Memory all | reader <rows> <features> | stream <rows> <features>");
    return 2;
}
Measure(args[0], long.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
return 0;

static void Measure(string mode, long rows, int features)
{
    var ml = new MLContext(seed: 1);
    // Warm up on a few rows: the runtime, ML.NET and the JIT-compiled code are then part of the baseline.
    Fit(ml, mode, new GeneratedRows(2000, features));
    GC.Collect();
    GC.WaitForPendingFinalizers();
    long warmUpPeak = ProcessMemory.PeakBytes();
    long baseline = ProcessMemory.CurrentBytes();
    ProcessMemory.ResetPeak();
    var watch = Stopwatch.StartNew();
    var model = Fit(ml, mode, new GeneratedRows(rows, features));
    double seconds = watch.Elapsed.TotalSeconds;
    long peak = Math.Max(ProcessMemory.PeakBytes(), warmUpPeak);
    long dataBytes = rows * features * sizeof(float);
    string hash = Convert.ToHexString(SHA256.HashData(model.Payload.Span))[..16];
    Console.WriteLine(string.Join('\t', mode, rows, features, Mb(dataBytes), Mb(baseline), Mb(peak),
        (peak / (double)dataBytes).ToString("F3", CultureInfo.InvariantCulture),
        ((peak - baseline) / (double)dataBytes).ToString("F3", CultureInfo.InvariantCulture),
        seconds.ToString("F1", CultureInfo.InvariantCulture), hash));
}

static NetworkModelParameters Fit(MLContext ml, string mode, IDataView data)
{
    var options = new DeepNetOptions { Epochs = 1, BatchSize = 256, Seed = 1, HiddenLayers = mode == "reader" ? [] : [32] };
#if !READER_ONLY
    options.Streaming = mode == "stream";
#endif
    return ml.Regression.Trainers.DeepNet(options).Fit(data).Model;
}

static string Mb(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);

static int RunAll()
{
    string self = Environment.ProcessPath!;
    string dll = typeof(GeneratedRows).Assembly.Location;
    (string Mode, long Rows)[] runs = [("reader", 1_000_000), ("stream", 1_000_000), ("stream", 1_000_000), ("stream", 10_000_000), ("stream", 10_000_000)];
    Console.WriteLine("| Mode | Rows x features | Data, MB | Baseline, MB | Peak working set, MB | Peak / data | (Peak - baseline) / data | Seconds | Weights (SHA-256, first 16 hex) |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
    foreach (var (mode, rows) in runs)
    {
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(dll);
        foreach (string a in new[] { mode, rows.ToString(CultureInfo.InvariantCulture), "100" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string line = process.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{mode} {rows} failed with exit code {process.ExitCode}.");
        var f = line.Split('\t');
        Console.WriteLine($"| {f[0]} | {long.Parse(f[1], CultureInfo.InvariantCulture):N0} x {f[2]} | {f[3]} | {f[4]} | {f[5]} | {f[6]} | {f[7]} | {f[8]} | `{f[9]}` |");
    }
    return 0;
}
