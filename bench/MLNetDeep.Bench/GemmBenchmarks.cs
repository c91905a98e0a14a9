using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Bench;

/// <summary>
/// The GEMM on the MLP's forward shapes (batch 128): C[128 x n] = A[128 x k] · B[k x n]ᵀ, as Dense
/// computes it (weights stored [units, inputs]), with 1 and 2 kernel threads. Reports GFLOP/s.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params("128x784x512", "128x512x512")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    // Parsed once in Setup: parsing the shape in the benchmark method would allocate, and the
    // memory diagnoser would report the harness's allocations as the product's.
    private int M, K, N;
    private ComputeContext _compute = ComputeContext.Default;

    [GlobalSetup]
    public void Setup()
    {
        (M, K, N) = (int.Parse(Shape.Split('x')[0]), int.Parse(Shape.Split('x')[1]), int.Parse(Shape.Split('x')[2]));
        var rng = new Rng(1);
        _a = Enumerable.Range(0, M * K).Select(_ => rng.NextFloat(-1, 1)).ToArray();
        _b = Enumerable.Range(0, N * K).Select(_ => rng.NextFloat(-1, 1)).ToArray();
        _c = new float[M * N];
        _compute = ComputeContext.Create(Threads);
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(_compute, false, true, M, N, K, 1f, _a, K, _b, K, 0f, _c, N);

    /// <summary>Adds a GFLOP/s column: 2 m n k floating-point operations per product.</summary>
    private sealed class GflopsConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public GflopsConfig() => AddColumn(new GflopsColumn());
    }

    private sealed class GflopsColumn : IColumn
    {
        public string Id => "GFLOPS";
        public string ColumnName => "GFLOP/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Billions of floating-point operations per second (2 m n k per product)";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is null) return "n/a";
            var dims = ((string)benchmarkCase.Parameters["Shape"]).Split('x').Select(double.Parse).ToArray();
            double flops = 2 * dims[0] * dims[1] * dims[2];
            return (flops / report.ResultStatistics.Mean).ToString("F1"); // flops per ns = GFLOP/s
        }
    }
}
