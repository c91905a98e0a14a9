using System.Diagnostics;
using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;

/// <summary>
/// A dense layer's passes around its products (DenseRowsJob) on the MLP's [128, 512] outputs, each timed right after a
/// product on the same threads wrote the array it reads, as in the training step: the bias and ReLU forward; the
/// dropout mask, ReLU derivative and bias gradient backward. Beside each, the loop the layer ran before on the calling
/// thread alone (whole rows, with each row's sum added while it is in L1), which gives the same bits. Calls alternate,
/// so a busy spell of the host falls on both; medians of 2,000 calls each, 1 and 2 threads.
/// </summary>
internal static class DenseRowsProbe
{
    private const int Batch = 128, Units = 512, Inputs = 784, Calls = 2000, WarmUp = 200;

    public static void Run()
    {
        var random = new Random(1);
        float[] Draw(int n, Func<float> value) => Enumerable.Range(0, n).Select(_ => value()).ToArray();
        var x = Draw(Batch * Inputs, () => (float)random.NextDouble() - 0.5f);
        var w = Draw(Units * Inputs, () => (float)random.NextDouble() - 0.5f);
        var bias = Draw(Units, () => (float)random.NextDouble() - 0.5f);
        var mask = Draw(Batch * Units, () => random.Next(5) == 0 ? 0f : 1.25f);
        float[] y = new float[Batch * Units], dy = new float[Batch * Units], rectified = new float[Batch * Units], db = new float[Units];
        foreach (int threads in new[] { 1, 2 })
        {
            var compute = ComputeContext.Create(threads);
            var times = new List<double>[4];
            for (int i = 0; i < times.Length; i++) times[i] = [];
            for (int call = 0; call < 2 * (Calls + WarmUp); call++)
            {
                bool job = call % 2 == 0;
                Gemm.Multiply(compute, false, true, Batch, Units, Inputs, 1f, x, Inputs, w, Inputs, 0f, y, Units);
                long t0 = Stopwatch.GetTimestamp();
                if (job) DenseRowsJob.Forward(compute, y, Batch, bias, default, rectify: true);
                else ForwardLoop(y, bias);
                double forward = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                // The gradient as the next layer's input-gradient product leaves it.
                Gemm.Multiply(compute, false, true, Batch, Units, Inputs, 1f, x, Inputs, w, Inputs, 0f, dy, Units);
                t0 = Stopwatch.GetTimestamp();
                if (job) DenseRowsJob.Backward(compute, y, dy, mask, rectified, db, Batch, rectify: true);
                else BackwardLoop(y, dy, mask, rectified, db);
                double backward = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                if (call < 2 * WarmUp) continue;
                times[job ? 0 : 1].Add(forward);
                times[job ? 2 : 3].Add(backward);
            }
            string[] names = ["forward, DenseRowsJob", "forward, one-thread loop", "backward, DenseRowsJob", "backward, one-thread loop"];
            for (int i = 0; i < names.Length; i++)
            {
                times[i].Sort();
                Console.WriteLine($"{threads} thread(s), {names[i]}: median {times[i][times[i].Count / 2]:F1} us " +
                    $"(quartiles {times[i][times[i].Count / 4]:F1}-{times[i][3 * times[i].Count / 4]:F1})");
            }
        }
    }

    private static void ForwardLoop(float[] y, float[] bias)
    {
        for (int r = 0; r < Batch; r++)
        {
            var row = y.AsSpan(r * Units, Units);
            TensorPrimitives.Add(row, bias, row);
            TensorPrimitives.Max(row, 0f, row);
        }
    }

    private static void BackwardLoop(float[] y, float[] dy, float[] mask, float[] rectified, float[] db)
    {
        db.AsSpan().Clear();
        for (int r = 0; r < Batch; r++)
        {
            var row = rectified.AsSpan(r * Units, Units);
            TensorPrimitives.Multiply(dy.AsSpan(r * Units, Units), mask.AsSpan(r * Units, Units), row);
            ActivationKernels.LeakyReluBackwardRange(y.AsSpan(r * Units, Units), row, row, 0f);
            TensorPrimitives.Add(db, row, db);
        }
    }
}
