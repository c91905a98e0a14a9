// Quick GEMM what-if timings on the MLP's five shapes through the public API, outside BenchmarkDotNet:
//   dotnet run -c Release --project bench/MLNetDeep.Bench.GemmProbe -- [--path Vector256] [--threads 1,2] [--ms 300] [--shapes 0,4]
// Prints, for each shape and thread count, the median GFLOP/s of 9 samples after a warm-up.
//   ... -- --rows [FASHION_MNIST_DIR]: the one-row latency of the MLP's RowPredictor instead;
//   ... -- --step: the MLP's training step against the sum of its eight products, each timed alone.
//   ... -- --adam: Adam's fused pass alone, one thread, from L1-sized arrays to the MLP's parameters; then Adam.Step over them, 1 and 2 threads.
//   ... -- --row-kernel: the one-row product alone, weights in L2 and from L3, dense and sparse.
//   ... -- --dense-rows: a dense layer's passes around its products (DenseRowsJob) against the one-thread loop.
//   ... -- --pool: what a run of the kernels' worker pool costs beside the parts it shares.
//   ... -- --stream: how fast a core rereads a working set, 16 KB to 16 MB, one thread and two at once.
//   ... -- --zero-tiles [FASHION_MNIST_DIR]: the share of the first layer's products that zero pixels would let a kernel skip.
using System.Diagnostics;
using System.Globalization;
using MLNetDeep.Engine.Kernels;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
(string Name, bool TransA, bool TransB, int M, int K, int N)[] shapes =
[
    ("fwd 1 NT", false, true, 128, 784, 512),
    ("fwd 2 NT", false, true, 128, 512, 512),
    ("dW1 TN", true, false, 512, 128, 784),
    ("dW2 TN", true, false, 512, 128, 512),
    ("dX2 NN", false, false, 128, 512, 512),
];
// The probes other than the GEMM's own timings, by their option; the rest of args go to the probe.
string fashionMnist = args.Length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist";
var probes = new Dictionary<string, Action>
{
    ["--step"] = () => { foreach (int t in new[] { 1, 2 }) StepBreakdown.Run(t); },
    ["--adam"] = AdamPass.Run,
    ["--dense-rows"] = DenseRowsProbe.Run,
    ["--row-kernel"] = RowKernelProbe.Run,
    ["--pool"] = PoolProbe.Run,
    ["--stream"] = CacheStream.Run,
    ["--zero-tiles"] = () => ZeroTiles.Run(fashionMnist),
    ["--rows"] = () => RowLatency.Run(fashionMnist),
};
if (args.Length > 0 && probes.TryGetValue(args[0], out var probe))
{
    probe();
    return;
}
int[] threadCounts = [1, 2];
var path = GemmPath.Auto;
int sampleMs = 40;
int[] selected = [0, 1, 2, 3, 4];
for (int i = 0; i < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--path": path = Enum.Parse<GemmPath>(args[i + 1]); break;
        case "--threads": threadCounts = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
        case "--ms": sampleMs = int.Parse(args[i + 1]); break;
        case "--shapes": selected = args[i + 1].Split(',').Select(int.Parse).ToArray(); break;
        default: throw new ArgumentException($"Unknown option '{args[i]}'.");
    }
}
Console.WriteLine($"path {ComputeContext.Create(1, path).GemmPath}, {Environment.ProcessorCount} cores");
var rng = new Random(1);
foreach (int s in selected)
{
    var (name, ta, tb, m, k, n) = shapes[s];
    float[] a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    float[] b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    float[] c = new float[m * n];
    int lda = ta ? m : k, ldb = tb ? k : n;
    var line = $"{name,-9} {m}x{k}x{n}";
    foreach (int threads in threadCounts)
    {
        var compute = ComputeContext.Create(threads, path);
        void Call() => Gemm.Multiply(compute, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.ElapsedMilliseconds < 200) { Call(); calls++; }
        int perSample = Math.Max(1, (int)(calls * sampleMs / Math.Max(1, watch.ElapsedMilliseconds)));
        var samples = new double[9];
        for (int r = 0; r < samples.Length; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int j = 0; j < perSample; j++) Call();
            samples[r] = 2.0 * m * n * k * perSample / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
        }
        Array.Sort(samples);
        line += $"  {threads}t {samples[4],6:F1} ({samples[0]:F0}-{samples[^1]:F0})";
    }
    Console.WriteLine(line);
}
