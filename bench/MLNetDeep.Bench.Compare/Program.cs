// Side-by-side benchmarks of MLNetDeep against TorchSharp-cpu, OpenBLAS and ML.NET's built-in
// trainers on Fashion-MNIST. One command runs everything, each configuration in a child process
// of its own (so that peak memory is per configuration and no library's threads or caches leak
// into another's figures), alternating the sides:
//   dotnet run -c Release -r linux-x64 --project bench/MLNetDeep.Bench.Compare -- all
// Sections: all | gemm | train | mlnet, peak (the FMA peak, one core and all cores, at the widest native vector width) and predict (where a PredictionEngine row of the MLP goes); options: --mlp-epochs N --cnn-epochs N --padding P
// --threads T --rounds R --networks mlp,cnn --out FILE. "child CONFIG ..." runs one configuration (used by the parent).
using MLNetDeep.Bench.Compare;

var options = BenchOptions.Parse(args.Skip(1).ToArray());
string command = args.Length > 0 ? args[0] : "all";
try
{
    switch (command)
    {
        case "child":
            RunChild(args[1], options).Emit();
            return 0;
        case "peak":
            Console.WriteLine($"FMA peak ({FmaPeak.Width}, the widest native width): {FmaPeak.Measure(1):F1} GFLOP/s on one core, " +
                $"{FmaPeak.Measure(Environment.ProcessorCount):F1} on {Environment.ProcessorCount} cores at once");
            return 0;
        case "predict":
            PredictionCost.Run();
            return 0;
        case "all" or "gemm" or "train" or "mlnet":
            return new Orchestrator(options).Run(command);
        default:
            Console.Error.WriteLine("usage: all | gemm | train | mlnet | peak | predict [--mlp-epochs N] [--cnn-epochs N] [--padding 0|1] [--threads T] [--rounds R] [--out FILE]");
            return 2;
    }
}
catch (Exception e)
{
    Console.Error.WriteLine($"{command} failed: {e}");
    return 1;
}

static Measurement RunChild(string config, BenchOptions o)
{
    var mlp = new TrainingSetup(NetworkKind.Mlp, o.MlpEpochs, o.Threads, o.Padding);
    var cnn = new TrainingSetup(NetworkKind.Cnn, o.CnnEpochs, o.Threads, o.Padding);
    return config switch
    {
        "mlp-engine" => EngineTraining.Run(mlp),
        "mlp-torch" => TorchTraining.Run(mlp),
        "cnn-engine" => EngineTraining.Run(cnn),
        "cnn-torch" => TorchTraining.Run(cnn),
        "gemm-engine" => GemmComparison.Run(openBlas: false),
        "gemm-openblas" => GemmComparison.Run(openBlas: true),
        "peak" => PeakMeasurement(o.Threads),
        _ => MlNetTrainers.Run(config, o.MlpEpochs, o.CnnEpochs, o.Padding, o.Threads),
    };
}

/// <summary>The FMA peak on one thread and on the run's thread count, each thread on its own core.</summary>
static Measurement PeakMeasurement(int threads)
{
    var m = new Measurement { Config = "peak" };
    m.Notes["width"] = FmaPeak.Width;
    foreach (int t in new[] { 1, 2, threads }.Distinct()) m.Values[$"fma_peak_{t}"] = FmaPeak.Measure(t);
    return m;
}

/// <summary>The command-line options, shared by the parent and its children.</summary>
public sealed record BenchOptions(int MlpEpochs, int CnnEpochs, int Padding, int Threads, int Rounds, string? Out, string OpenBlasCore, string Networks = "mlp,cnn")
{
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(MlpEpochs: 30, CnnEpochs: 15, Padding: 1, Threads: 2, Rounds: 1, Out: null, OpenBlasCore: "SkylakeX");
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--mlp-epochs" => o with { MlpEpochs = int.Parse(Next()) },
                "--cnn-epochs" => o with { CnnEpochs = int.Parse(Next()) },
                "--padding" => o with { Padding = int.Parse(Next()) },
                "--threads" => o with { Threads = int.Parse(Next()) },
                "--rounds" => o with { Rounds = int.Parse(Next()) },
                "--out" => o with { Out = Next() },
                "--openblas-core" => o with { OpenBlasCore = Next() },
                "--networks" => o with { Networks = Next() },
                _ when i == 0 && !args[i].StartsWith("--", StringComparison.Ordinal) => o, // the child's configuration name
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        return o;
    }

    public string[] ToArgs() =>
        ["--mlp-epochs", $"{MlpEpochs}", "--cnn-epochs", $"{CnnEpochs}", "--padding", $"{Padding}", "--threads", $"{Threads}"];
}
