using System.Diagnostics;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Bench;

/// <summary>
/// Where a training step's time goes: the median over many steps of each layer's forward and backward and of the
/// optimizer, then of the whole <see cref="NetworkTrainer.TrainStep"/>, for the networks of
/// <see cref="TrainStepBenchmarks"/>. Medians resist the spikes a shared two-core machine gives; BenchmarkDotNet's
/// TrainStep stays the measurement of record. Run: <c>dotnet run -c Release --project bench/MLNetDeep.Bench -- profile CNN 2 300</c>.
/// </summary>
internal static class StepProfile
{
    public static void Run(string networkName, int threads, int steps)
    {
        const int batch = 128;
        var compute = ComputeContext.Create(threads);
        var (network, inputs, targets) = TrainStepBenchmarks.Build(networkName, batch);
        var layers = network.Layers;
        var forward = new double[layers.Count, steps];
        var backward = new double[layers.Count, steps];
        var optimizer = new double[steps];
        var adam = new Adam(1e-3f);
        // The output gradient need not be the loss's: the layers' cost does not depend on its values.
        var gradient = new Tensor(Enumerable.Range(0, batch * network.OutputShape.Size).Select(i => (i % 7 - 3) * 1e-3f).ToArray(), batch, network.OutputShape);
        for (int step = -20; step < steps; step++)
        {
            Tensor x = inputs;
            for (int i = 0; i < layers.Count; i++) x = Timed(() => layers[i].Forward(x, training: true, compute), step, forward, i);
            Tensor g = gradient;
            for (int i = layers.Count - 1; i >= 0; i--) g = Timed(() => layers[i].Backward(g, compute), step, backward, i);
            long start = Stopwatch.GetTimestamp();
            adam.Step(network.Parameters, compute);
            if (step >= 0) optimizer[step] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var (whole, _, _) = TrainStepBenchmarks.Build(networkName, batch);
        var trainer = new NetworkTrainer(whole, new Adam(1e-3f), new TrainerOptions { BatchSize = batch, Compute = compute });
        var total = new double[steps];
        for (int step = -20; step < steps; step++)
        {
            long start = Stopwatch.GetTimestamp();
            trainer.TrainStep(inputs, targets, out _);
            if (step >= 0) total[step] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Console.WriteLine($"{networkName}, batch {batch}, {compute}, medians of {steps} steps (ms):");
        for (int i = 0; i < layers.Count; i++)
            Console.WriteLine($"  {i,2} {layers[i],-36} forward {Median(forward, i),8:F3}  backward {Median(backward, i),8:F3}");
        Console.WriteLine($"  optimizer (Adam) {Median(optimizer):F3}");
        Console.WriteLine($"  TrainStep {Median(total):F3} (mean {total.Average():F3})");
    }

    private static Tensor Timed(Func<Tensor> run, int step, double[,] times, int layer)
    {
        long start = Stopwatch.GetTimestamp();
        Tensor result = run();
        if (step >= 0) times[layer, step] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return result;
    }

    private static double Median(double[,] times, int layer) =>
        Median(Enumerable.Range(0, times.GetLength(1)).Select(k => times[layer, k]).ToArray());

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
