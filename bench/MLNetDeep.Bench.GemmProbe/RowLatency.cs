using System.Diagnostics;
using MLNetDeep.Datasets;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;

/// <summary>
/// The engine's one-row latency (RowPredictor, what DeepNet's PredictionEngine calls) for the
/// MLP 784-512-512-10 after one epoch on Fashion-MNIST (so that ReLU switches units off as in a
/// trained model), over the 10,000 test rows: mean and p50 microseconds a row, 1 and 2 threads.
/// </summary>
internal static class RowLatency
{
    public static void Run(string directory)
    {
        float[] Scale(IdxImages images) => images.Pixels.Select(p => p / 255f).ToArray();
        float[] trainX = Scale(IdxFile.ReadImages(Path.Combine(directory, "train-images-idx3-ubyte.gz")));
        float[] trainY = IdxFile.ReadLabels(Path.Combine(directory, "train-labels-idx1-ubyte.gz")).Select(b => (float)b).ToArray();
        float[] testX = Scale(IdxFile.ReadImages(Path.Combine(directory, "t10k-images-idx3-ubyte.gz")));
        KernelThreads.Count = 2;
        var network = StepBreakdown.Mlp();
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { Epochs = 1, BatchSize = 128, Seed = 1, Threads = 2 });
        trainer.Fit(new InMemoryDataset(trainX, trainY, network.InputShape), null, null);
        var predictor = new RowPredictor(network);
        var output = new float[10];
        int rows = testX.Length / 784;
        foreach (int threads in new[] { 1, 2 })
        {
            KernelThreads.Count = threads;
            for (int i = 0; i < 20000; i++) predictor.Predict(testX.AsSpan(i % rows * 784, 784), output);
            var latencies = new double[20000];
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < latencies.Length; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                predictor.Predict(testX.AsSpan(i % rows * 784, 784), output);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
            double mean = watch.Elapsed.TotalMicroseconds / latencies.Length;
            Array.Sort(latencies);
            Console.WriteLine($"RowPredictor MLP 784-512-512-10, {threads} thread(s): mean {mean:F1} us a row, p50 {latencies[latencies.Length / 2]:F1}, p99 {latencies[(int)(latencies.Length * 0.99)]:F1}");
        }
    }
}
