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
/// by its arithmetic, not by memory; the plain rule (AdamTerms.Plain, Adam's default) beside the full one fed zeros for
/// its optional terms, the same bits with six operations a vector more. Then the whole optimizer step
/// (<see cref="Adam.Step"/>) over the MLP 784-512-512-10's six parameters on 1 and 2 threads: the optimizer's share of
/// a training step, to set beside the step's products (<c>--step</c>).
/// </summary>
internal static class AdamPass
{
    public static void Run()
    {
        foreach (int n in new[] { 4096, 16384, 65536, 667_658 })
        {
            // Both spellings of the rule alternate sample by sample, so a busy spell of the host falls on both.
            var plain = new Pass<AdamTerms.Plain>(n);
            var all = new Pass<AdamTerms.All>(n);
            var samples = (Plain: new double[15], All: new double[15]);
            // The first samples run while the JIT tiers the pass up; the median is of the code it settles on.
            for (int s = -5; s < 15; s++)
            {
                double p = plain.Time(), a = all.Time();
                if (s < 0) continue;
                samples.Plain[s] = p;
                samples.All[s] = a;
            }
            Array.Sort(samples.Plain);
            Array.Sort(samples.All);
            double ns = samples.Plain[7], nsAll = samples.All[7];
            Console.WriteLine($"Adam's pass, {n,7} elements: {ns:F3} ns an element ({7 * 4 / ns:F1} GB/s moved), samples {samples.Plain[0]:F3} to {samples.Plain[^1]:F3}; " +
                $"with the optional terms (decays, NAdam's gradient step) computed as zeros: {nsAll:F3} ns");
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
        // Plain Adam beside Adam with a coupled decay too small to matter (its full rule, as every Adam step ran before
        // the plain one), alternating sample by sample; each has its own copy of the parameters' state.
        var plain = new Adam(1e-3f);
        var full = new Adam(1e-3f) { WeightDecay = 1e-30f };
        var compute = ComputeContext.Create(threads);
        var samples = (Plain: new double[15], Full: new double[15]);
        const int calls = 100;
        double Time(Adam adam)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int c = 0; c < calls; c++) adam.Step(parameters, compute);
            return Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls;
        }
        for (int s = -5; s < 15; s++)
        {
            double p = Time(plain), f = Time(full);
            if (s < 0) continue;
            samples.Plain[s] = p;
            samples.Full[s] = f;
        }
        Array.Sort(samples.Plain);
        Array.Sort(samples.Full);
        Console.WriteLine($"Adam.Step, the MLP's {parameters.Sum(p => p.Length):N0} parameters, {threads} thread(s): {samples.Plain[7]:F0} us a step, " +
            $"samples {samples.Plain[0]:F0} to {samples.Plain[^1]:F0}; with the full rule (a coupled decay of 1e-30): {samples.Full[7]:F0} us");
    }

    /// <summary>One array set and one spelling of the rule, timed over calls that move about 80 MB.</summary>
    private sealed class Pass<TTerms>
        where TTerms : struct, AdamTerms.IChoice
    {
        private readonly float[] _w, _g, _m, _v;
        private readonly AdamRule<TTerms> _rule = new(0.9f, 0.999f, 1e-8f, 0f, 1e-3f, 1f, 0f, 0f);
        private readonly int _calls;

        public Pass(int n)
        {
            var random = new Random(1);
            (_w, _g, _m, _v) = (new float[n], new float[n], new float[n], new float[n]);
            for (int i = 0; i < n; i++)
            {
                _w[i] = (float)random.NextDouble();
                _g[i] = (float)random.NextDouble() - 0.5f;
            }
            _calls = Math.Max(3, 20_000_000 / n);
        }

        /// <summary>Nanoseconds an element.</summary>
        public double Time()
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int c = 0; c < _calls; c++) OptimizerKernels.Update(_w, _g, _m, _v, _rule);
            return Stopwatch.GetElapsedTime(t0).TotalNanoseconds / _calls / _w.Length;
        }
    }
}
