// Micro-benchmarks of the engine's kernels. Run: dotnet run -c Release --project bench/MLNetDeep.Bench -- --filter '*'
// Where a training step's time goes, layer by layer: dotnet run -c Release --project bench/MLNetDeep.Bench -- profile CNN 2 300
using System.Globalization;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "profile")
{
    string network = args.Length > 1 ? args[1] : "CNN";
    if (network is not ("CNN" or "MLP" or "ModernCNN")) throw new ArgumentException($"profile: the network is CNN, MLP or ModernCNN, not '{network}'.", nameof(args));
    int threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
    int steps = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 300;
    MLNetDeep.Bench.StepProfile.Run(network, threads, steps);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(MLNetDeep.Bench.GemmBenchmarks).Assembly).Run(args);
