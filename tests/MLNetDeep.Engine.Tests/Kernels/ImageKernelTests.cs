using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Tests.Layers;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Kernels;

[Collection(nameof(KernelSettingsCollection))]
/// <summary>The convolution, im2col and pooling kernels: threads, determinism, allocation.</summary>
public sealed class ImageKernelTests
{
    [Theory]
    [InlineData(16, 8)]   // the weight gradient computed as is
    [InlineData(1, 32)]   // and transposed (9 taps, 32 filters)
    public void ThreadCountDoesNotChangeOneBit(int channels, int filters)
    {
        // 9 images in three backward groups, each group's weight gradient summed apart.
        byte[] Run(int threads)
        {
            var conv = Conv2DTests.Build(new Direct.Window(channels, 32, 32, 3, 1, 1), filters);
            var (_, y, _, dx) = Direct.Pass(conv, 9, ComputeContext.Create(threads));
            float[] all = [.. y.Span, .. dx.Span, .. conv.Weight.Gradient, .. conv.Bias.Gradient];
            return all.SelectMany(BitConverter.GetBytes).ToArray();
        }
        var single = Run(1);
        long parallelRuns = ComputeContext.Create(2).Pool.Runs;
        Assert.Equal(single, Run(2));
        Assert.True(ComputeContext.Create(2).Pool.Runs > parallelRuns, "The two-thread convolution did not run on the pool.");
        Assert.Equal(single, Run(3));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(2, 1)]
    public void PoolingMatchesTheDirectComputationWithAnyThreadCount(int size, int stride)
    {
        // 20 images of 16 x 14 x 18: enough values for the pooling to be split over threads.
        var g = new Direct.Window(16, 14, 18, size, stride, 0);
        var shape = TensorShape.Image(16, 14, 18);
        byte[]? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var compute = ComputeContext.Create(threads);
            long runs = compute.Pool.Runs;
            var maxPool = new MaxPool2D(size, stride);
            maxPool.Initialize(shape, new Rng(1));
            var (x, y, dy, dx) = Direct.Pass(maxPool, 20, compute);
            var (max, winner) = Direct.MaxPool(g, 20, x);
            Direct.AssertClose("max output", Direct.Exact(max), y.Span);
            Direct.AssertClose("max d/dinput", Direct.Exact(Direct.MaxPoolBackward(g, 20, winner, dy)), dx.Span);
            var averagePool = new AveragePool2D(size, stride);
            averagePool.Initialize(shape, new Rng(1));
            var (_, ay, ady, adx) = Direct.Pass(averagePool, 20, compute);
            Direct.AssertClose("average output", Direct.AveragePool(g, 20, x), ay.Span);
            Direct.AssertClose("average d/dinput", Direct.AveragePoolBackward(g, 20, ady), adx.Span);
            Assert.True(threads == 1 || compute.Pool.Runs >= runs + 4, "The pooling did not run on the pool.");
            float[] all = [.. y.Span, .. dx.Span, .. ay.Span, .. adx.Span];
            var bytes = all.SelectMany(BitConverter.GetBytes).ToArray();
            if (first is null) first = bytes;
            else Assert.Equal(first, bytes);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ACnnTrainingStepAllocatesNothingOnAnyThread(int threads)
    {
        // Large enough for the first convolution and pooling to run on the workers.
        var network = new Network(TensorShape.Image(2, 24, 20),
            [new Conv2D(8, 3, padding: 1), new Relu(), new MaxPool2D(2), new Conv2D(6, 3, stride: 2, padding: 1), new Relu(),
             new AveragePool2D(2, 1), new Flatten(), new Dropout(0.2f), new Dense(3)],
            new SoftmaxCrossEntropy(), seed: 1);
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { Threads = threads });
        var x = new Tensor(Direct.Random(9 * 960, 3), 9, network.InputShape);
        var y = Enumerable.Range(0, 9).Select(i => (float)(i % 3)).ToArray();
        for (int i = 0; i < 3; i++) trainer.TrainStep(x, y, out _);
        // Workers allocate on their own threads, so count the whole process, and take the quietest
        // of several steps: other threads of the test host allocate now and then.
        long quietest = long.MaxValue;
        for (int round = 0; round < 10; round++)
        {
            long total = GC.GetTotalAllocatedBytes(precise: true);
            trainer.TrainStep(x, y, out _);
            quietest = Math.Min(quietest, GC.GetTotalAllocatedBytes(precise: true) - total);
        }
        Assert.Equal(0, quietest);
    }

    [Fact]
    public void APoolRunInsideAPartIsRefused()
    {
        // Kernels called from a part of a parallel kernel must not take over the workers of the outer
        // run: a nested run on the same pool is refused (the convolution's products use the one-thread context).
        var pool = ComputeContext.Create(2).Pool;
        var outer = new Nested(pool);
        Assert.True(pool.TryRun(outer, parts: 4));
        Assert.Equal(4, outer.Parts);
        Assert.Equal(0, outer.NestedRuns);
        Assert.Equal(1, ComputeContext.Create(2).Serial.Threads);
    }

    private sealed class Nested(WorkerPool pool) : IParallelWork
    {
        public int Parts, NestedRuns;

        public void Run(int part)
        {
            Interlocked.Increment(ref Parts);
            if (pool.TryRun(new Nested(pool), parts: 2)) Interlocked.Increment(ref NestedRuns);
        }
    }

    [Fact]
    public void ADefaultGeometryOrShortBuffersAreRejected()
    {
        var g = new ConvGeometry(2, 5, 5, 3, 1, 1);
        Assert.Throws<ArgumentException>(() => Im2Col.Unfold(default, new float[50], new float[450], 25));
        var compute = ComputeContext.Default;
        Assert.Throws<ArgumentException>(() => PoolingKernels.AveragePool(compute, default, 1, new float[50], new float[50]));
        Assert.Throws<ArgumentException>(() => Convolution.Forward(compute, default, 1, 1, new float[50], new float[18], new float[1], new float[25]));
        Assert.Throws<ArgumentException>(() => Im2Col.Unfold(g, new float[49], new float[450], 25));
        Assert.Throws<ArgumentException>(() => Im2Col.Unfold(g, new float[50], new float[449], 25));
        Assert.Throws<ArgumentException>(() => Convolution.Forward(compute, g, 3, 2, new float[100], new float[54], new float[3], new float[149]));
        Assert.Throws<ArgumentException>(() => Convolution.Backward(compute, g, 3, 9, new float[450], new float[54], new float[675],
            new float[54], new float[3], [], new float[Convolution.BackwardScratchLength(g, 3, 9) - 1]));
        // A winner outside its image (here in the next one) is refused, not written.
        var pool = new ConvGeometry(1, 2, 2, 2, 2, 0);
        Assert.Throws<IndexOutOfRangeException>(() => PoolingKernels.MaxPoolBackward(compute, pool, 2, new float[2], [0, 0], new float[8]));
    }

    [Theory]
    // channels, height, width, kernel, stride, padding
    [InlineData(2, 7, 5, 3, 1, 1)]   // "same" padding: rows of the column matrix are shifted images
    [InlineData(2, 7, 5, 3, 1, 0)]
    [InlineData(2, 7, 5, 3, 2, 1)]
    [InlineData(3, 6, 9, 2, 2, 0)]
    [InlineData(1, 4, 4, 3, 3, 2)]   // padding so wide that some taps never touch the image
    public void FoldIsTheAdjointOfUnfold(int channels, int height, int width, int kernel, int stride, int padding)
    {
        // <Unfold(x), c> = <x, Fold(c)> for every x and c exactly when Fold is Unfold's transpose.
        var g = new ConvGeometry(channels, height, width, kernel, stride, padding);
        var x = Direct.Random(g.ImageSize, 1);
        var c = Direct.Random(g.PatchSize * g.OutputPixels, 2);
        var unfolded = new float[c.Length];
        Im2Col.Unfold(g, x, unfolded, g.OutputPixels);
        var folded = new float[x.Length];
        Im2Col.Fold(g, (float[])c.Clone(), g.OutputPixels, folded);
        double left = unfolded.Zip(c, (a, b) => (double)a * b).Sum();
        double right = x.Zip(folded, (a, b) => (double)a * b).Sum();
        Assert.Equal(left, right, 1e-4);
    }
}
