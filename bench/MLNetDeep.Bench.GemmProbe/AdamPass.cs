using System.Diagnostics;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Kernels.OptimizerRules;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

/// <summary>
/// Adam's fused pass (<see cref="OptimizerKernels.Update"/>) alone on one thread, over arrays from L1-sized to the
/// MLP's 667,658 parameters, called back to back as a trainer calls it: nanoseconds an element, and the bytes it
/// moves (four arrays read, three written) as a rate. Where the rate stays flat from L1 to L3 sizes, the pass is bound
/// by its arithmetic (a square root and a division a vector), not by memory. Then the whole optimizer step
/// (<see cref="Adam.Step"/>) over the MLP 784-512-512-10's six parameters on 1 and 2 threads: the optimizer's share of
/// a training step, to set beside the step's products (<c>--step</c>).
/// </summary>
internal static class AdamPass
{
    public static void Run()
    {
        foreach (int n in new[] { 4096, 16384, 65536, 667_658 })
        {
            var random = new Random(1);
            float[] w = new float[n], g = new float[n], m = new float[n], v = new float[n];
            for (int i = 0; i < n; i++)
            {
                w[i] = (float)random.NextDouble();
                g[i] = (float)random.NextDouble() - 0.5f;
            }
            var rule = new AdamRule(0.9f, 0.999f, 1e-8f, 0f, 1e-3f, 1f, 0f, 0f);
            int calls = Math.Max(3, 20_000_000 / n);
            var samples = new double[15];
            // The first samples run while the JIT tiers the pass up; the median is of the code it settles on.
            for (int s = -5; s < samples.Length; s++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++) OptimizerKernels.Update(w, g, m, v, rule);
                if (s >= 0) samples[s] = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / calls / n;
            }
            Array.Sort(samples);
            double ns = samples[samples.Length / 2];
            Console.WriteLine($"Adam's pass, {n,7} elements: {ns:F3} ns an element ({7 * 4 / ns:F1} GB/s moved); samples {samples[0]:F3} to {samples[^1]:F3}");
        }
        foreach (int threads in new[] { 1, 2 }) WholeStep(threads);
    }

    private static void WholeStep(int threads)
    {
        var random = new Random(1);
        Parameter[] parameters =
        [
            new("weight", 512, 784, true), new("bias", 1, 512, false), new("weight", 512, 512, true),
            new("bias", 1, 512, false), new("weight", 10, 512, true), new("bias", 1, 10, false),
        ];
        foreach (var parameter in parameters)
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Value[i] = (float)random.NextDouble() - 0.5f;
                parameter.Gradient[i] = ((float)random.NextDouble() - 0.5f) * 1e-2f;
            }
        var adam = new Adam(1e-3f);
        var compute = ComputeContext.Create(threads);
        var samples = new double[15];
        const int calls = 100;
        for (int s = -5; s < samples.Length; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int c = 0; c < calls; c++) adam.Step(parameters, compute);
            if (s >= 0) samples[s] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls;
        }
        Array.Sort(samples);
        Console.WriteLine($"Adam.Step, the MLP's {parameters.Sum(p => p.Length):N0} parameters, {threads} thread(s): {samples[samples.Length / 2]:F0} us a step; samples {samples[0]:F0} to {samples[^1]:F0}");
    }
}
