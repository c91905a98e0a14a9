// Serving a DeepNet model: ONNX Runtime against ML.NET's PredictionEngine and Transform.
// Run: heavy bench -- dotnet run -c Release --project bench/MLNetDeep.Bench.Onnx -- --filter '*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(MLNetDeep.Bench.Onnx.ServingBenchmarks).Assembly).Run(args);
