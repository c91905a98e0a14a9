using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace MLNetDeep.Bench.Compare;

/// <summary>
/// Runs every configuration as a child process of this program, alternating the sides, and
/// writes the tables (Markdown) to standard output and to a file.
/// </summary>
public sealed class Orchestrator(BenchOptions options)
{
    private readonly StringBuilder _report = new();
    private readonly List<(string Label, Measurement M)> _results = [];
    private Measurement? _peak;
    private int _peakFailures;

    public int Run(string section)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var started = DateTime.Now;
        Line($"# MLNetDeep side-by-side benchmarks ({section})");
        Line();
        Line($"- Date: {started:yyyy-MM-dd HH:mm} (local), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line($"- Processor: {Processor()}");
        Line($"- SIMD flags: {SimdFlags()}");
        Peak();
        Line($"- .NET: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {RuntimeInformation.RuntimeIdentifier}");
        Line($"- Load average at start: {LoadAverage()}");
        Line($"- Options: {string.Join(' ', options.ToArgs())} --rounds {options.Rounds}");
        Line();
        int failures = _peakFailures;
        if (section is "all" or "gemm") failures += Gemm();
        if (section is "all" or "train") failures += Train();
        if (section is "all" or "mlnet") failures += MlNet();
        Line($"Load average at end: {LoadAverage()}; total {(DateTime.Now - started).TotalMinutes:F1} min.");
        string path = options.Out ?? Path.Combine("out", $"compare-{section}-{started:yyyyMMdd-HHmm}.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, _report.ToString());
        Console.Error.WriteLine($"Report written to {path}");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Measures the FMA peak in a child of its own and prints it at the top: every figure below is also a share of it.</summary>
    private void Peak()
    {
        var list = new List<Measurement>();
        _peakFailures = Child("peak", "FMA peak", list);
        if (list.Count == 0) return;
        _peak = list[0];
        Line($"- FMA peak (single precision, {_peak.Notes["width"]}, the widest vector this processor runs natively; chains of fused multiply-adds in registers, one thread a core): " +
             string.Join(", ", _peak.Values.Where(v => v.Key.StartsWith("fma_peak_", StringComparison.Ordinal))
                 .Select(v => $"{v.Value:F1} GFLOP/s on {v.Key[9..]} core{(v.Key == "fma_peak_1" ? "" : "s")}")));
    }

    /// <summary>The measured FMA peak of <paramref name="threads"/> cores, NaN when it was not measured.</summary>
    private double PeakOf(int threads) => _peak?[$"fma_peak_{threads}"] ?? double.NaN;

    /// <summary><paramref name="gflops"/> as a share of the peak of <paramref name="threads"/> cores.</summary>
    private string OfPeak(double gflops, int threads) => $"{gflops / PeakOf(threads):P0}";

    private int Gemm()
    {
        int failures = 0;
        var engine = new List<Measurement>();
        var blas = new List<Measurement>();
        var blasDefault = new List<Measurement>();
        for (int round = 0; round < Math.Max(options.Rounds, 3); round++)
        {
            failures += Child("gemm-engine", "MLNetDeep", engine);
            failures += Child("gemm-openblas", $"OpenBLAS {options.OpenBlasCore}", blas, ("OPENBLAS_CORETYPE", options.OpenBlasCore));
            failures += Child("gemm-openblas", "OpenBLAS default core", blasDefault, ("OPENBLAS_CORETYPE", null));
        }
        if (engine.Count == 0 || blas.Count == 0) return failures;

        string core = blas[0].Notes.GetValueOrDefault("corename", "?");
        string defaultCore = blasDefault.FirstOrDefault()?.Notes.GetValueOrDefault("corename", "?") ?? "n/a";
        Line("## GEMM on the MLP's shapes: MLNetDeep vs OpenBLAS");
        Line();
        Line($"GFLOP/s (2 M N K / time), median of 11 samples per process, median over {engine.Count} alternating processes a side; " +
             $"% peak is the share of the FMA peak above for that many cores. MLNetDeep: {engine[0].Notes.GetValueOrDefault("path", "?")}. " +
             $"OpenBLAS: {blas[0].Notes.GetValueOrDefault("config", "?")}, OPENBLAS_CORETYPE={options.OpenBlasCore} -> openblas_get_corename() = {core}; " +
             $"without OPENBLAS_CORETYPE it picks {defaultCore}.");
        Line();
        Line($"| Product (M x K x N, op) | Threads | MLNetDeep | % peak | OpenBLAS ({core}) | % peak | OpenBLAS ({defaultCore}, its default here) | % peak | MLNetDeep / best OpenBLAS |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int threads in new[] { 1, 2 })
            for (int s = 0; s < GemmComparison.Shapes.Length; s++)
            {
                string key = GemmComparison.Key(s, threads);
                var sh = GemmComparison.Shapes[s];
                double ours = Median(engine.Select(m => m[key])), theirs = Median(blas.Select(m => m[key]));
                double dflt = Median(blasDefault.Select(m => m[key]));
                double best = double.IsNaN(dflt) ? theirs : Math.Max(theirs, dflt);
                Line($"| {sh.Name}: {sh.M}x{sh.K}x{sh.N} {(sh.TransA ? 'T' : 'N')}{(sh.TransB ? 'T' : 'N')} | {threads} | {ours:F1} | {OfPeak(ours, threads)} | " +
                     $"{theirs:F1} | {OfPeak(theirs, threads)} | {dflt:F1} | {OfPeak(dflt, threads)} | {ours / best:P0} |");
            }
        Line();
        Line("Two threads over one (each side's own medians): " + string.Join("; ", Enumerable.Range(0, GemmComparison.Shapes.Length).Select(s =>
        {
            double Scale(List<Measurement> list) => Median(list.Select(m => m[GemmComparison.Key(s, 2)])) / Median(list.Select(m => m[GemmComparison.Key(s, 1)]));
            var sh = GemmComparison.Shapes[s];
            return $"{sh.M}x{sh.K}x{sh.N} {(sh.TransA ? 'T' : 'N')}{(sh.TransB ? 'T' : 'N')}: MLNetDeep {Scale(engine):F2}x, {core} {Scale(blas):F2}x, {defaultCore} {Scale(blasDefault):F2}x";
        })) + ".");
        Line();
        return failures;
    }

    private int Train()
    {
        int failures = 0;
        Line("## Training on Fashion-MNIST: MLNetDeep engine vs TorchSharp-cpu");
        Line();
        foreach (var network in options.Networks.Split(','))
        {
            var engine = new List<Measurement>();
            var torch = new List<Measurement>();
            for (int round = 0; round < options.Rounds; round++)
            {
                // Alternate, and swap who goes first each round, so drifting load hits both sides alike.
                if (round % 2 == 0)
                {
                    failures += Child($"{network}-engine", "MLNetDeep", engine);
                    failures += Child($"{network}-torch", "TorchSharp", torch);
                }
                else
                {
                    failures += Child($"{network}-torch", "TorchSharp", torch);
                    failures += Child($"{network}-engine", "MLNetDeep", engine);
                }
            }
            if (engine.Count == 0 || torch.Count == 0) continue;
            Line($"### {(network == "mlp" ? "MLP" : "CNN")}: {engine[0].Notes["setup"]}");
            Line();
            Line("| Side | Samples/s (steady) | s/epoch (median, steady) | s/epoch (mean; slowest) | First epoch, s | Training, s (all epochs) | Test accuracy | Peak working set, MB |");
            Line("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (label, list) in new[] { ("MLNetDeep (engine)", engine), ("TorchSharp-cpu 0.107.0", torch) })
                foreach (var m in list)
                    Line($"| {label} | {m["samples_per_s"]:F0} | {m["epoch_s"]:F2} | {m["epoch_s_mean"]:F2}; {m["epoch_s_max"]:F2} | {m["first_epoch_s"]:F2} | {m["total_train_s"]:F1} | {m["test_accuracy"]:P2} | {m["peak_working_set_mb"]:F0} |");
            double ratio = Median(engine.Select(m => m["samples_per_s"])) / Median(torch.Select(m => m["samples_per_s"]));
            double dAcc = Median(engine.Select(m => m["test_accuracy"])) - Median(torch.Select(m => m["test_accuracy"]));
            Line();
            Line($"Throughput ratio MLNetDeep / TorchSharp: **{ratio:F2}x**; test accuracy difference {dAcc * 100:+0.00;-0.00} points after {engine[0]["epochs"]} epochs.");
            Line();
            double stepFlops = new TrainingSetup(network == "mlp" ? NetworkKind.Mlp : NetworkKind.Cnn, 1, options.Threads, options.Padding).ProductFlopsPerSample() * 128;
            foreach (var (label, list) in new[] { ("MLNetDeep", engine), ("TorchSharp", torch) })
            {
                double samples = Median(list.Select(m => m["samples_per_s"]));
                double stepSeconds = 128 / samples, rate = stepFlops / stepSeconds / 1e9;
                Line($"- {label}: {stepSeconds * 1e3:F2} ms a step of 128 (steady median); its matrix products, {stepFlops / 1e6:F0} MFLOP a step, " +
                     $"at {rate:F1} GFLOP/s over the whole step: {OfPeak(rate, options.Threads)} of the {options.Threads}-core FMA peak.");
            }
            if (network != "mlp")
                Line("- The products are counted as the direct convolution's: MLNetDeep runs its 3x3 convolutions on 8 or more channels by Winograd's F(2x2, 3x3), " +
                     "with 2.25 times fewer multiply-adds forward and for both gradients, so its rate is what the direct form would need to match it.");
            Line();
            Line("Test accuracy after each epoch:");
            Line();
            Line("| Side | " + string.Join(" | ", Enumerable.Range(1, engine[0].EpochAccuracy.Count)) + " |");
            Line("|---|" + string.Concat(Enumerable.Repeat("---:|", engine[0].EpochAccuracy.Count)));
            Line("| MLNetDeep | " + string.Join(" | ", engine[0].EpochAccuracy.Select(a => (a * 100).ToString("F2"))) + " |");
            Line("| TorchSharp | " + string.Join(" | ", torch[0].EpochAccuracy.Select(a => (a * 100).ToString("F2"))) + " |");
            Line();
            if (engine[0].Values.TryGetValue("allocated_bytes_per_epoch", out double bytes))
            {
                Line($"MLNetDeep allocated {bytes:F0} bytes in its last epoch ({Math.Ceiling(60000 / 128.0)} steps): the epoch report, nothing per step.");
                Line();
            }
        }
        return failures;
    }

    private int MlNet()
    {
        int failures = 0;
        var results = new List<(string Label, Measurement M)>();
        foreach (var name in MlNetTrainers.Names)
        {
            var list = new List<Measurement>();
            failures += Child(name, name, list);
            if (list.Count > 0) results.Add((name, list[0]));
        }
        Line("## Fashion-MNIST through ML.NET: DeepNet beside the built-in trainers");
        Line();
        Line("Same IDataView (`LoadFromIdx`, pixels / 255), pipeline `MapValueToKey(\"Label\")` + trainer; training time is `pipeline.Fit` wall time; accuracy is `Evaluate(...).MicroAccuracy` on the 10,000 test images.");
        Line();
        Line("| Trainer | Settings | Test accuracy | Training, s | Peak working set, MB |");
        Line("|---|---|---:|---:|---:|");
        foreach (var (label, m) in results)
            Line($"| {label} | {m.Notes.GetValueOrDefault("trainer", "")} | {m["test_accuracy"]:P2} | {m["train_s"]:F1} | {m["peak_working_set_mb"]:F0} |");
        Line();
        Line("## Prediction through ML.NET (DeepNet models above)");
        Line();
        Line("| Model | PredictionEngine, mean µs/row | p50 µs | p99 µs | Transform, rows/s |");
        Line("|---|---:|---:|---:|---:|");
        foreach (var (label, m) in results.Where(r => r.M.Values.ContainsKey("predict_mean_us")))
            Line($"| {label} | {m["predict_mean_us"]:F1} | {m["predict_p50_us"]:F1} | {m["predict_p99_us"]:F1} | {m["transform_rows_per_s"]:F0} |");
        Line();
        return failures;
    }

    /// <summary>Runs one configuration in a child process; returns 1 if it failed.</summary>
    private int Child(string config, string label, List<Measurement> into, params (string Name, string? Value)[] environment)
    {
        string self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(Orchestrator).Assembly.Location);
        psi.ArgumentList.Add("child");
        psi.ArgumentList.Add(config);
        foreach (var a in options.ToArgs()) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
        {
            if (value is null) psi.Environment.Remove(name); else psi.Environment[name] = value;
        }
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {config} ({label}), load {LoadAverage()}");
        using var process = Process.Start(psi)!;
        Measurement? result = null;
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            var m = Measurement.TryParse(line);
            if (m is not null) result = m; else Console.Error.WriteLine(line);
        }
        process.WaitForExit();
        if (process.ExitCode != 0 || result is null)
        {
            Line($"> **{config} ({label}) failed** with exit code {process.ExitCode}; see the console output.");
            Line();
            return 1;
        }
        into.Add(result);
        _results.Add((label, result));
        return 0;
    }

    private void Line(string text = "")
    {
        _report.AppendLine(text);
        Console.WriteLine(text);
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    /// <summary>lscpu's model name, family and model (from /proc/cpuinfo), the core count and the memory.</summary>
    private static string Processor()
    {
        string model = CpuInfo("model name"), family = CpuInfo("cpu family"), modelNumber = CpuInfo("model"), stepping = CpuInfo("stepping");
        double memGb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{model}, family {family}, model {modelNumber}, stepping {stepping}; {Environment.ProcessorCount} cores, {memGb:F0} GiB";
    }

    /// <summary>The processor's vector flags that matter to the kernels: FMA and every AVX level.</summary>
    private static string SimdFlags() => string.Join(' ', CpuInfo("flags").Split(' ')
        .Where(f => f.StartsWith("avx", StringComparison.Ordinal) || f == "fma"));

    /// <summary>The first value of <paramref name="key"/> in /proc/cpuinfo, or "?".</summary>
    private static string CpuInfo(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var parts = line.Split(':', 2);
                if (parts.Length == 2 && parts[0].Trim() == key) return parts[1].Trim();
            }
        }
        catch (IOException) { }
        return "?";
    }
}
