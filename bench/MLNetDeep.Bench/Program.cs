// Micro-benchmarks of the engine's kernels. Run: dotnet run -c Release --project bench/MLNetDeep.Bench -- --filter '*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(MLNetDeep.Bench.GemmBenchmarks).Assembly).Run(args);
