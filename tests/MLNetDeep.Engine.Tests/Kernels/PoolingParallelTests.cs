using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Tests.Kernels;

/// <summary>Pooling large enough to be split over threads gives what one thread gives, bit for bit, and does run on the pool.</summary>
[Collection(nameof(KernelSettingsCollection))]
public sealed class PoolingParallelTests
{
    [Theory]
    [InlineData(2, 2)]  // the CNN's pooling
    [InlineData(3, 2)]  // overlapping windows: the average's backward adds into shared pixels
    public void TwoThreadsGiveWhatOneGives(int kernel, int stride)
    {
        const int images = 16;
        var g = new ConvGeometry(8, 26, 26, kernel, stride, padding: 0);
        var rng = new Random(3);
        var x = Enumerable.Range(0, images * g.ImageSize).Select(_ => (float)rng.Next(-50, 50)).ToArray(); // ties too
        var dy = Enumerable.Range(0, images * g.Channels * g.OutputPixels).Select(_ => (float)rng.NextDouble()).ToArray();

        (float[], int[], float[], float[]) Run(int threads, out long poolRuns)
        {
            var compute = ComputeContext.Create(threads);
            long before = compute.Pool.Runs;
            var max = new float[dy.Length];
            var argmax = new int[dy.Length];
            var average = new float[dy.Length];
            var spread = new float[x.Length];
            PoolingKernels.MaxPool(compute, g, images, x, max, argmax);
            PoolingKernels.AveragePool(compute, g, images, x, average);
            PoolingKernels.AveragePoolBackward(compute, g, images, dy, spread);
            poolRuns = compute.Pool.Runs - before;
            return (max, argmax, average, spread);
        }

        var one = Run(1, out long oneRuns);
        var two = Run(2, out long twoRuns);
        Assert.Equal(0, oneRuns);
        Assert.Equal(3, twoRuns);
        Assert.Equal(one.Item1, two.Item1);
        Assert.Equal(one.Item2, two.Item2);
        Assert.Equal(one.Item3, two.Item3);
        Assert.Equal(one.Item4, two.Item4);

        // And the maximum is the maximum: checked directly on the first and last windows.
        int last = dy.Length - 1;
        Assert.Equal(new[] { x[0], x[1], x[26], x[27] }.Concat(kernel == 3 ? [x[2], x[28], x[52], x[53], x[54]] : []).Max(), one.Item1[0]);
        Assert.Equal(x[one.Item2[last]], one.Item1[last]);
    }
}
