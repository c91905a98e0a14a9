using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Tests.Kernels;

/// <summary>
/// The ReLU family over arrays large enough to be shared among the threads: the same bits with one
/// thread or two, equal to the scalar definition element by element, and really run on the pool.
/// </summary>
[Collection(nameof(KernelSettingsCollection))]
public sealed class ElementwiseParallelTests
{
    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void TwoThreadsGiveWhatOneGivesAndWhatTheDefinitionSays(float alpha)
    {
        // Not a multiple of a part or of a vector: the last part is short and ends in the scalar tail.
        int n = 3 * ElementwiseJob.ParallelThreshold + 13;
        var rng = new Random(5);
        var x = Enumerable.Range(0, n).Select(i => i % 17 == 0 ? 0f : (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var dy = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();

        (float[] Y, float[] Dx, long Runs) Run(int threads)
        {
            var compute = ComputeContext.Create(threads);
            long before = compute.Pool.Runs;
            var y = new float[n];
            var dx = new float[n];
            ActivationKernels.LeakyRelu(compute, x, y, alpha);
            ActivationKernels.LeakyReluBackward(compute, x, dy, dx, alpha);
            return (y, dx, compute.Pool.Runs - before);
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(0, one.Runs);
        Assert.Equal(2, two.Runs);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(x[i] > 0 ? x[i] : alpha == 0 ? 0f : alpha * x[i], two.Y[i]);
            Assert.Equal(x[i] > 0 ? dy[i] : alpha * dy[i], two.Dx[i]);
        }
    }
}
