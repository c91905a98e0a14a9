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
public sealed class ConvolutionTests : IDisposable
{
    private readonly int _savedThreads = KernelThreads.Count;

    public void Dispose() => KernelThreads.Count = _savedThreads;

    [Theory]
    [InlineData(16, 8)]   // the weight gradient computed as is
    [InlineData(1, 32)]   // and transposed (9 taps, 32 filters)
    public void ThreadCountDoesNotChangeOneBit(int channels, int filters)
    {
        // 9 images in three backward groups, each group's weight gradient summed apart.
        byte[] Run(int threads)
        {
            KernelThreads.Count = threads;
            var conv = Conv2DTests.Build(new Direct.Window(channels, 32, 32, 3, 1, 1), filters);
            var (_, y, _, dx) = Direct.Pass(conv, 9);
            float[] all = [.. y.Span, .. dx.Span, .. conv.Weight.Gradient, .. conv.Bias.Gradient];
            return all.SelectMany(BitConverter.GetBytes).ToArray();
        }
        var single = Run(1);
        long parallelRuns = WorkerPool.Shared.Runs;
        Assert.Equal(single, Run(2));
        Assert.True(WorkerPool.Shared.Runs > parallelRuns, "The two-thread convolution did not run on the pool.");
        Assert.Equal(single, Run(3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ACnnTrainingStepAllocatesNothingOnAnyThread(int threads)
    {
        KernelThreads.Count = threads;
        var network = new Network(TensorShape.Image(2, 12, 10),
            [new Conv2D(8, 3, padding: 1), new Relu(), new MaxPool2D(2), new Conv2D(6, 3, stride: 2, padding: 1), new Relu(),
             new AveragePool2D(2, 1), new Flatten(), new Dropout(0.2f), new Dense(3)],
            new SoftmaxCrossEntropy(), seed: 1);
        var trainer = new NetworkTrainer(network, new Adam(1e-3f));
        var x = new Tensor(Direct.Random(9 * 240, 3), 9, network.InputShape);
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
        // Kernels called from a part of a parallel kernel (products inside a convolution) must run
        // on their own thread: a nested run would take over the workers of the outer one.
        KernelThreads.Count = 2;
        var outer = new Nested();
        Assert.True(WorkerPool.Shared.TryRun(outer, parts: 4, threads: 2));
        Assert.Equal(4, outer.Parts);
        Assert.Equal(0, outer.NestedRuns);
    }

    private sealed class Nested : IParallelWork
    {
        public int Parts, NestedRuns;

        public void Run(int part)
        {
            Interlocked.Increment(ref Parts);
            if (WorkerPool.Shared.TryRun(new Nested(), parts: 2, threads: 2)) Interlocked.Increment(ref NestedRuns);
        }
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
