using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Kernels;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>
/// A step over many values runs in ranges on the kernel threads; the result must be bit-identical
/// to a one-thread step, and a warmed-up parallel step must allocate nothing.
/// </summary>
[Collection(nameof(KernelSettingsCollection))]
public sealed class OptimizerParallelTests
{
    /// <summary>A weight of 300 x 257 = 77,100 values (several ranges and a vector tail), its bias, and a small weight.</summary>
    private static Parameter[] MakeParameters()
    {
        Parameter[] parameters = [new("weight", 300, 257, isWeight: true), new("bias", 1, 300, isWeight: false), new("small", 3, 5, isWeight: true)];
        var rng = new Rng(3);
        foreach (Parameter p in parameters)
            for (int i = 0; i < p.Length; i++) p.Value[i] = rng.NextGaussian();
        return parameters;
    }

    private static void FillGradients(Parameter[] parameters, int step)
    {
        var rng = new Rng((ulong)(100 + step));
        foreach (Parameter p in parameters)
            for (int i = 0; i < p.Length; i++) p.Gradient[i] = rng.NextGaussian();
    }

    [Theory]
    [MemberData(nameof(OptimizerKinds.All), MemberType = typeof(OptimizerKinds))]
    public void ParallelStepsEqualOneThreadStepsBitForBit(OptimizerKind kind)
    {
        float[][] Run(int threads, out long poolRuns)
        {
            var compute = ComputeContext.Create(threads);
            var parameters = MakeParameters();
            var optimizer = Optimizer.Create(kind, 0.01f);
            optimizer.WeightDecay = 0.001f;
            long before = compute.Pool.Runs;
            for (int step = 0; step < 4; step++)
            {
                FillGradients(parameters, step);
                optimizer.Step(parameters, compute);
            }
            poolRuns = compute.Pool.Runs - before;
            return parameters.Select(p => p.Value.ToArray()).ToArray();
        }

        var one = Run(1, out long oneRuns);
        var two = Run(2, out long twoRuns);
        Assert.Equal(0, oneRuns);
        Assert.True(twoRuns >= 4, $"The two-thread steps ran on the pool {twoRuns} times; expected every one of the 4.");
        for (int p = 0; p < one.Length; p++)
            Assert.True(one[p].AsSpan().SequenceEqual(two[p]), $"Parameter {p} differs between one and two threads.");
    }

    [Fact]
    public void ParallelStepAllocatesNothingAfterTheFirst()
    {
        var compute = ComputeContext.Create(2);
        var parameters = MakeParameters();
        FillGradients(parameters, 0);
        var optimizer = new Adam(1e-3f);
        AllocationCheck.AssertNone(() => optimizer.Step(parameters, compute), warmUps: 3, measured: 5);
    }
}
