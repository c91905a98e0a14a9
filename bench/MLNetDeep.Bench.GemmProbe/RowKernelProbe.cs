using System.Diagnostics;
using MLNetDeep.Engine.Kernels;

/// <summary>
/// The one-row product alone (RowWeights, what a dense layer's row step runs) on random weights,
/// from sizes that stay in one core's 512 KiB L2 to the MLP's first layer, dense and at the share
/// of non-zero inputs a Fashion-MNIST row has (half its pixels; a quarter of the hidden units
/// after ReLU): how fast the weights stream when they are in L2 rather than L3.
/// Median of 7 rounds of 5,000 products after a second of warm-up, 1 and 2 threads.
/// </summary>
internal static class RowKernelProbe
{
    public static void Run()
    {
        var random = new Random(1);
        (int Units, int Inputs, double Density, string Note)[] cases =
        [
            (512, 64, 1.0, "128 KB, in L2"),
            (512, 128, 1.0, "256 KB, in L2"),
            (512, 784, 1.0, "1.6 MB, from L3"),
            (512, 784, 0.5, "the MLP's first layer"),
            (512, 512, 0.26, "the MLP's second layer"),
        ];
        foreach (int threads in new[] { 1, 2 })
            foreach (var (units, inputs, density, note) in cases)
            {
                var weights = new float[units * inputs];
                for (int i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextDouble() - 0.5);
                var product = new RowWeights(ComputeContext.Create(threads), weights, units, inputs);
                var rows = new float[64][];
                for (int r = 0; r < rows.Length; r++)
                {
                    rows[r] = new float[inputs];
                    for (int i = 0; i < inputs; i++) rows[r][i] = random.NextDouble() < density ? (float)random.NextDouble() : 0f;
                }
                var y = new float[units];
                // A second of warm-up: the JIT promotes Multiply and Run to optimized code only after its tiering
                // delay (100 ms or more); 5,000 calls (15-50 ms) timed the first tier's code.
                var warmUp = Stopwatch.StartNew();
                for (int i = 0; warmUp.ElapsedMilliseconds < 1000; i++) product.Multiply(rows[i % rows.Length], y);
                var rounds = new double[7];
                for (int round = 0; round < rounds.Length; round++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < 5000; i++) product.Multiply(rows[i % rows.Length], y);
                    rounds[round] = watch.Elapsed.TotalMicroseconds / 5000;
                }
                Array.Sort(rounds);
                double us = rounds[rounds.Length / 2], bytes = units * inputs * density * sizeof(float);
                Console.WriteLine($"{threads} thread(s), {units} x {inputs}, {density:P0} of inputs non-zero ({note}): {us:F2} us a product, " +
                    $"weights at {bytes / us / 1e3:F1} GB/s, {2 * units * inputs * density / us / 1e3:F1} GFLOP/s");
            }
    }
}
