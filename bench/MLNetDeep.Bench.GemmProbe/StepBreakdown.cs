using System.Diagnostics;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

/// <summary>
/// One training step of the MLP 784-512-512-10 (ReLU, dropout 0.2, Adam, batch 128) against its
/// matrix products alone: the same eight products, with the same shapes and transposes as Dense
/// computes them, each timed on its own through Gemm.Multiply. What the step spends beyond their
/// sum is everything else (bias, activations, dropout, softmax and loss, Adam, the gradient norms).
/// </summary>
internal static class StepBreakdown
{
    // (name, transA, transB, M, N, K) as Dense calls Gemm.Multiply: forward X Wᵀ, dW = dYᵀ X, dX = dY W.
    private static readonly (string Name, bool TransA, bool TransB, int M, int N, int K)[] s_products =
    [
        ("fwd 1", false, true, 128, 512, 784), ("fwd 2", false, true, 128, 512, 512), ("fwd 3", false, true, 128, 10, 512),
        ("dW3", true, false, 10, 512, 128), ("dX3", false, false, 128, 512, 10),
        ("dW2", true, false, 512, 512, 128), ("dX2", false, false, 128, 512, 512),
        ("dW1", true, false, 512, 784, 128),
    ];

    /// <summary>Rounds of (the step, then each product): a shared host's slow spells fall on both sides of a round alike.</summary>
    private const int Rounds = 5;

    public static void Run(int threads)
    {
        var compute = ComputeContext.Create(threads);
        const int batch = 128;
        var rng = new Rng(1);
        var network = Mlp();
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { BatchSize = batch, Threads = threads });
        var inputs = new Tensor(Enumerable.Range(0, batch * 784).Select(_ => rng.NextFloat()).ToArray(), batch, TensorShape.Vector(784));
        var targets = Enumerable.Range(0, batch).Select(_ => (float)rng.NextInt(10)).ToArray();
        var operands = s_products.Select(product =>
        {
            var (_, ta, tb, m, n, k) = product;
            var a = new float[m * k];
            var b = new float[k * n];
            for (int i = 0; i < a.Length; i++) a[i] = rng.NextFloat(-1, 1);
            for (int i = 0; i < b.Length; i++) b[i] = rng.NextFloat(-1, 1);
            return (A: a, B: b, C: new float[m * n]);
        }).ToArray();

        double flops = s_products.Sum(p => 2.0 * p.M * p.N * p.K);
        var steps = new double[Rounds];
        var products = new double[Rounds];
        var each = new double[Rounds, s_products.Length];
        for (int round = 0; round < Rounds; round++)
        {
            steps[round] = Median(() => trainer.TrainStep(inputs, targets, out _), round == 0 ? 300 : 90);
            for (int p = 0; p < s_products.Length; p++)
            {
                var (_, ta, tb, m, n, k) = s_products[p];
                var (a, b, c) = operands[p];
                int lda = ta ? m : k, ldb = tb ? k : n;
                each[round, p] = Median(() => Gemm.Multiply(compute, ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n), round == 0 ? 300 : 90);
                products[round] += each[round, p];
            }
        }
        var ratios = steps.Zip(products, (s, p) => s / p).ToArray();
        double step = MedianOf(steps), alone = MedianOf(products);
        var parts = s_products.Select((pr, p) => $"{pr.Name} {MedianOf(Enumerable.Range(0, Rounds).Select(r => each[r, p]).ToArray()) * 1e6:F0}");
        Console.WriteLine($"MLP step, batch {batch}, {threads} thread(s), medians of {Rounds} rounds: {step * 1e3:F3} ms; its eight products alone {alone * 1e3:F3} ms " +
            $"({flops / 1e6:F0} MFLOP at {flops / alone / 1e9:F1} GFLOP/s; us: {string.Join(", ", parts)}); " +
            $"step / products = {MedianOf(ratios):F2} (rounds: {string.Join(" ", ratios.Select(r => r.ToString("F2")))}); everything else {(step - alone) * 1e3:F3} ms ({(step - alone) / step:P0} of the step)");
    }

    private static double MedianOf(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The MLP of the side-by-side bench, as DeepNet builds it: Xavier uniform, seed 1.</summary>
    internal static Network Mlp() => new(TensorShape.Vector(784),
    [
        new Dense(512, Initializer.XavierUniform), new Relu(), new Dropout(0.2f),
        new Dense(512, Initializer.XavierUniform), new Relu(), new Dropout(0.2f),
        new Dense(10, Initializer.XavierUniform),
    ], new SoftmaxCrossEntropy(), 1);

    /// <summary>Median seconds of one call, over 15 samples of <paramref name="calls"/> / 15 calls, after as many calls of warm-up.</summary>
    private static double Median(Action call, int calls)
    {
        for (int i = 0; i < calls; i++) call();
        int per = Math.Max(1, calls / 15);
        var samples = new double[15];
        for (int s = 0; s < samples.Length; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < per; i++) call();
            samples[s] = Stopwatch.GetElapsedTime(t0).TotalSeconds / per;
        }
        Array.Sort(samples);
        return samples[samples.Length / 2];
    }
}
