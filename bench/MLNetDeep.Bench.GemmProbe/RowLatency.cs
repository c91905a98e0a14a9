using System.Diagnostics;
using MLNetDeep.Datasets;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
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
        var network = StepBreakdown.Mlp();
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { Epochs = 1, BatchSize = 128, Seed = 1, Threads = 2 });
        trainer.Fit(new InMemoryDataset(trainX, trainY, network.InputShape), null, null);
        // What a row reads: the rows of weights of its non-zero inputs (RowWeights skips the others).
        var d1 = (Dense)network.Layers[0];
        var d2 = (Dense)network.Layers[3];
        int rowsTest = testX.Length / 784;
        var hidden = new float[rowsTest * 512];
        Gemm.Multiply(ComputeContext.Create(2), false, true, rowsTest, 512, 784, 1f, testX, 784, d1.Weight.Value, 784, 0f, hidden, 512);
        long nonZeroPixels = testX.LongCount(v => v != 0), nonZeroHidden = 0;
        for (int r = 0; r < rowsTest; r++)
            for (int u = 0; u < 512; u++) nonZeroHidden += hidden[r * 512 + u] + d1.Bias.Value[u] > 0 ? 1 : 0;
        double nz1 = (double)nonZeroPixels / rowsTest, nz2 = (double)nonZeroHidden / rowsTest;
        double bytesPerRow = (nz1 * d1.Units + nz2 * d2.Units + 512.0 * 10) * sizeof(float);
        Console.WriteLine($"Non-zero inputs a row: {nz1:F0} of 784 pixels, {nz2:F0} of 512 hidden units after the first ReLU; " +
            $"weights read a row about {bytesPerRow / 1e6:F2} MB (all weights: {(784.0 * 512 + 512 * 512 + 512 * 10) * 4 / 1e6:F2} MB)");
        var output = new float[10];
        int rows = testX.Length / 784;
        foreach (int threads in new[] { 1, 2 })
        {
            var predictor = new RowPredictor(network, ComputeContext.Create(threads));
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
            Console.WriteLine($"RowPredictor MLP 784-512-512-10, {threads} thread(s): mean {mean:F1} us a row, p50 {latencies[latencies.Length / 2]:F1}, " +
                $"p99 {latencies[(int)(latencies.Length * 0.99)]:F1}; weights streamed at {bytesPerRow / mean / 1e3:F1} GB/s");
        }
    }
}
