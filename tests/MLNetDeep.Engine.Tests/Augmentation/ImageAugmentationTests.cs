using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;
using static MLNetDeep.Engine.Tests.Training.NetworkTrainerTests;

namespace MLNetDeep.Engine.Tests.Augmentation;

/// <summary>
/// Image augmentation: the pixel kernel on hand-made images (expected pixels written out by hand), the draws seeded and
/// the same for any thread count, a training run with augmentation resumed bit for bit, and validation never augmented.
/// </summary>
public sealed class ImageAugmentationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-augmentation-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // One channel, 3 rows of 4: the pixel at (y, x) is 4y + x + 1.
    private static readonly float[] Image3x4 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    private static float[] Transform(float[] image, int channels, int height, int width, ImageTransform t, float fill = 0f, int threads = 1)
    {
        var output = new float[image.Length];
        ImageAugmentationJob.ForCurrentThread.Run(ComputeContext.Create(threads), image, output, [t], channels, height, width, fill);
        return output;
    }

    [Fact]
    public void AShiftMovesThePixelsAndFillsTheBorderWithZero()
    {
        // One right, one up: each row is the row below it moved right; the bottom row is uncovered.
        float[] expected = [0, 5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0];
        Assert.Equal(expected, Transform(Image3x4, 1, 3, 4, new ImageTransform(false, 1, -1, 0, 0, 0, 0)));
        // Two left, one down.
        float[] expected2 = [0, 0, 0, 0, 3, 4, 0, 0, 7, 8, 0, 0];
        Assert.Equal(expected2, Transform(Image3x4, 1, 3, 4, new ImageTransform(false, -2, 1, 0, 0, 0, 0)));
    }

    [Fact]
    public void AFlipMirrorsEachRowAndComesBeforeTheShift()
    {
        Assert.Equal([4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9], Transform(Image3x4, 1, 3, 4, new ImageTransform(true, 0, 0, 0, 0, 0, 0)));
        Assert.Equal([0, 4, 3, 2, 0, 8, 7, 6, 0, 12, 11, 10], Transform(Image3x4, 1, 3, 4, new ImageTransform(true, 1, 0, 0, 0, 0, 0)));
    }

    [Fact]
    public void ErasingFillsTheRectangleInEveryChannel()
    {
        float[] twoChannels = [.. Image3x4, .. Image3x4.Select(v => -v)];
        // A 2-wide, 2-high rectangle at x = 1, y = 1, after a shift of one to the right.
        float[] expected = [0, 1, 2, 3, 0, 0.5f, 0.5f, 7, 0, 0.5f, 0.5f, 11, 0, -1, -2, -3, 0, 0.5f, 0.5f, -7, 0, 0.5f, 0.5f, -11];
        Assert.Equal(expected, Transform(twoChannels, 2, 3, 4, new ImageTransform(false, 1, 0, 1, 1, 2, 2), fill: 0.5f));
    }

    [Fact]
    public void ATranslatedImageIsTheOriginalShiftedByTheDrawnOffset()
    {
        var shape = TensorShape.Image(1, 6, 7);
        var augmenter = new ImageAugmenter(new ImageAugmentation { MaxShift = 2 }, shape);
        var image = Enumerable.Range(0, 42).Select(i => (float)(i + 1)).ToArray();
        var input = new Tensor(image, 1, shape);
        var seen = new HashSet<(int, int)>();
        var draws = new Rng(21);
        var applied = new Rng(21);
        for (int round = 0; round < 60; round++)
        {
            var t = augmenter.Draw(draws);
            Assert.InRange(t.ShiftX, -2, 2);
            Assert.InRange(t.ShiftY, -2, 2);
            Assert.False(t.Flip);
            Assert.Equal(0, t.EraseWidth);
            seen.Add((t.ShiftX, t.ShiftY));
            var output = augmenter.Apply(input, applied, ComputeContext.Create(1)).Span.ToArray();
            for (int y = 0; y < 6; y++)
                for (int x = 0; x < 7; x++)
                {
                    int sy = y - t.ShiftY, sx = x - t.ShiftX;
                    float expected = sy >= 0 && sy < 6 && sx >= 0 && sx < 7 ? image[sy * 7 + sx] : 0f;
                    Assert.Equal(expected, output[y * 7 + x]);
                }
        }
        Assert.True(seen.Count > 15, $"60 draws gave only {seen.Count} of the 25 offsets.");
    }

    [Fact]
    public void ErasingDrawsRectanglesInsideTheImageWithTheAskedProbabilityAndArea()
    {
        var augmenter = new ImageAugmenter(new ImageAugmentation { MaxShift = 0, HorizontalFlip = true, ErasingProbability = 0.5f }, TensorShape.Image(1, 28, 28));
        var rng = new Rng(4);
        int erased = 0, flipped = 0;
        for (int i = 0; i < 4000; i++)
        {
            var t = augmenter.Draw(rng);
            if (t.Flip) flipped++;
            if (t.EraseWidth == 0) continue;
            erased++;
            Assert.InRange(t.EraseX, 0, 28 - t.EraseWidth);
            Assert.InRange(t.EraseY, 0, 28 - t.EraseHeight);
            // 0.02 to 0.33 of 784 pixels, give or take the rounding of each side.
            Assert.InRange(t.EraseWidth * t.EraseHeight, 0.02 * 784 * 0.6, 0.33 * 784 * 1.4);
        }
        Assert.InRange(flipped, 1850, 2150);   // 2000 expected, sd 32
        Assert.InRange(erased, 1750, 2150);    // 2000 asked; a draw too large for the image ten times over is left out (rare)
    }

    [Fact]
    public void TheSameSeedGivesTheSameBatchOnOneAndTwoThreads()
    {
        var shape = TensorShape.Image(2, 28, 28);
        var source = new Rng(8);
        var batch = new Tensor(Enumerable.Range(0, 64 * shape.Size).Select(_ => source.NextFloat()).ToArray(), 64, shape);
        var settings = new ImageAugmentation { MaxShift = 3, HorizontalFlip = true, ErasingProbability = 0.5f, ErasingValue = 0.25f };
        var one = new ImageAugmenter(settings, shape).Apply(batch, new Rng(77), ComputeContext.Create(1)).Span.ToArray();
        var two = new ImageAugmenter(settings, shape).Apply(batch, new Rng(77), ComputeContext.Create(2)).Span.ToArray();
        Assert.Equal(one, two);
        Assert.NotEqual(batch.Span.ToArray(), one);
        Assert.NotEqual(one, new ImageAugmenter(settings, shape).Apply(batch, new Rng(78), ComputeContext.Create(2)).Span.ToArray());
    }

    private static InMemoryDataset Images(int n)
    {
        var rng = new Rng(31);
        var shape = TensorShape.Image(1, 8, 8);
        var x = new float[n * 64];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            // Class 0 has a bright left half, class 1 a bright right half; noise everywhere.
            for (int p = 0; p < 64; p++) x[i * 64 + p] = rng.NextFloat() * 0.3f + ((p % 8 < 4) == (i % 2 == 0) ? 0.7f : 0f);
        }
        return new InMemoryDataset(x, y, shape);
    }

    private static readonly ImageAugmentation Everything = new() { MaxShift = 2, HorizontalFlip = false, ErasingProbability = 0.5f };

    private static NetworkTrainer NewTrainer(string? checkpoint, int threads = 1, int epochs = 4) => new(
        new Network(TensorShape.Image(1, 8, 8), [new Conv2D(4, 3, padding: 1), new Relu(), new Flatten(), new Dropout(0.2f), new Dense(2)], new SoftmaxCrossEntropy(), seed: 6),
        new Adam(0.01f),
        new TrainerOptions { Epochs = epochs, BatchSize = 16, Seed = 13, ValidationFraction = 0.25f, Threads = threads, Augmentation = Everything, CheckpointPath = checkpoint });

    [Fact]
    public void TrainingWithAugmentationIsBitIdenticalAcrossRunsAndThreadCounts()
    {
        var data = Images(200);
        var first = NewTrainer(null);
        first.Fit(data);
        var again = NewTrainer(null);
        again.Fit(data);
        var twoThreads = NewTrainer(null, threads: 2);
        twoThreads.Fit(data);
        var plain = new NetworkTrainer(
            new Network(TensorShape.Image(1, 8, 8), [new Conv2D(4, 3, padding: 1), new Relu(), new Flatten(), new Dropout(0.2f), new Dense(2)], new SoftmaxCrossEntropy(), seed: 6),
            new Adam(0.01f), new TrainerOptions { Epochs = 4, BatchSize = 16, Seed = 13, ValidationFraction = 0.25f });
        plain.Fit(data);
        byte[] bits = NetworkSerializer.ToBytes(first.Network);
        Assert.Equal(bits, NetworkSerializer.ToBytes(again.Network));
        Assert.Equal(bits, NetworkSerializer.ToBytes(twoThreads.Network));
        Assert.NotEqual(bits, NetworkSerializer.ToBytes(plain.Network)); // augmentation did change what was learnt
    }

    [Fact]
    public void ARunWithAugmentationResumesFromItsCheckpointBitForBit()
    {
        var data = Images(120);
        var straight = NewTrainer(null);
        var expected = straight.Fit(data);

        string path = Path.Combine(_directory, "run.ckpt");
        using var cts = new CancellationTokenSource();
        var stopAfterTwo = new SyncProgress<EpochReport>(r => { if (r.Epoch == 2) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => NewTrainer(path).Fit(data, progress: stopAfterTwo, cancellationToken: cts.Token));
        var resumed = NewTrainer(path);
        var result = resumed.Fit(data);

        Assert.Equal(2, result.ResumedAfterEpoch);
        Assert.Equal(expected.History.Select(h => h.TrainingLoss), result.History.Select(h => h.TrainingLoss));
        Assert.Equal(NetworkSerializer.ToBytes(straight.Network), NetworkSerializer.ToBytes(resumed.Network));
    }

    [Fact]
    public void ValidationSeesTheImagesUnchanged()
    {
        var data = Images(120);
        var validation = Images(40);
        var trainer = new NetworkTrainer(
            new Network(TensorShape.Image(1, 8, 8), [new Flatten(), new Dense(2)], new SoftmaxCrossEntropy(), seed: 6),
            new Adam(0.01f), new TrainerOptions { Epochs = 2, BatchSize = 16, Augmentation = new ImageAugmentation { MaxShift = 3, ErasingProbability = 1f, ErasingMaxArea = 0.9f } });
        var result = trainer.Fit(data, validation);
        // The last epoch's validation loss is the loss of the final weights on the images as they are.
        Assert.Equal(trainer.Evaluate(validation).Loss, result.History[^1].ValidationLoss);
    }

    [Fact]
    public void AugmentationIsRefusedForSamplesWithoutImageDimensions()
    {
        var network = new Network(TensorShape.Vector(64), [new Dense(2)], new SoftmaxCrossEntropy());
        var e = Assert.Throws<ArgumentException>(() => new NetworkTrainer(network, new Sgd(0.1f), new TrainerOptions { Augmentation = new ImageAugmentation() }));
        Assert.Contains("[C, H, W]", e.Message);
        var image = new Network(TensorShape.Image(1, 4, 4), [new Flatten(), new Dense(2)], new SoftmaxCrossEntropy());
        Assert.Equal("MaxShift", Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkTrainer(image, new Sgd(0.1f), new TrainerOptions { Augmentation = new ImageAugmentation { MaxShift = 4 } })).ParamName);
        Assert.Equal("ErasingProbability", Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation { ErasingProbability = 1.5f }.Validate()).ParamName);
    }
}
