using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

// StepsAllocateNothingOnceWarm counts allocations: a product that finds the kernel pool busy with another
// test's runs on the calling thread alone, whose packing buffers may then grow. Run alone, as the kernel tests do.
[Collection(nameof(Kernels.KernelSettingsCollection))]
public class NetworkTrainerTests
{
    /// <summary>Two noisy Gaussian blobs per class in 8 dimensions: learnable, but with noise to overfit.</summary>
    private static InMemoryDataset Blobs(int count, ulong seed, float noise = 1f)
    {
        var rng = new Rng(seed);
        var x = new float[count * 8];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            int c = rng.NextInt(3);
            y[i] = c;
            for (int j = 0; j < 8; j++) x[i * 8 + j] = (j % 3 == c ? 1.5f : 0f) + noise * rng.NextGaussian();
        }
        return new InMemoryDataset(x, y, TensorShape.Vector(8));
    }

    private static Network Classifier(ulong seed = 1) =>
        new(TensorShape.Vector(8), [new Dense(32), new Relu(), new Dropout(0.1f), new Dense(3)], new SoftmaxCrossEntropy(), seed);

    [Fact]
    public void ReportsEveryEpochWithValidationAndGradientNorms()
    {
        var reports = new List<EpochReport>();
        var trainer = new NetworkTrainer(Classifier(), new Adam(0.01f), new TrainerOptions { Epochs = 5, BatchSize = 16, ValidationFraction = 0.2f });
        var result = trainer.Fit(Blobs(500, 1), progress: new SyncProgress<EpochReport>(reports.Add));
        Assert.Equal(5, reports.Count);
        Assert.Equal(Enumerable.Range(1, 5), reports.Select(r => r.Epoch));
        Assert.All(reports, r =>
        {
            Assert.NotNull(r.ValidationLoss);
            Assert.NotNull(r.ValidationAccuracy);
            Assert.Equal(2, r.GradientNorms.Count);
            Assert.All(r.GradientNorms, n => Assert.True(n > 0));
            Assert.True(r.SamplesPerSecond > 0);
        });
        Assert.True(reports[^1].TrainingLoss < reports[0].TrainingLoss);
        Assert.True(reports[^1].ValidationAccuracy > 0.8, $"validation accuracy {reports[^1].ValidationAccuracy}");
        Assert.Equal(5, result.BestEpoch);
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        // A wide network on 60 very noisy samples overfits fast: validation loss turns upward.
        var train = Blobs(60, 2, noise: 2.5f);
        var validation = Blobs(400, 3, noise: 2.5f);
        var network = new Network(TensorShape.Vector(8), [new Dense(256), new Relu(), new Dense(256), new Relu(), new Dense(3)], new SoftmaxCrossEntropy(), 1);
        var trainer = new NetworkTrainer(network, new Adam(0.01f), new TrainerOptions { Epochs = 200, BatchSize = 10, EarlyStoppingPatience = 5 });
        var result = trainer.Fit(train, validation);
        Assert.True(result.StoppedEarly);
        Assert.True(result.History.Count < 200);
        float bestLoss = result.History.Min(r => r.ValidationLoss!.Value);
        Assert.Equal(bestLoss, result.History[result.BestEpoch - 1].ValidationLoss);
        // The network now holds the best epoch's weights: its validation loss is that epoch's.
        Assert.Equal(bestLoss, trainer.Evaluate(validation).Loss, 5);
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        using var cts = new CancellationTokenSource();
        var trainer = new NetworkTrainer(Classifier(), new Adam(0.01f), new TrainerOptions { Epochs = 1000, BatchSize = 8 });
        var progress = new SyncProgress<EpochReport>(r => { if (r.Epoch == 2) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(Blobs(200, 4), progress: progress, cancellationToken: cts.Token));
    }

    [Fact]
    public void DivergenceIsDetectedInTheStepItAppears()
    {
        var data = new InMemoryDataset([1e30f, -1e30f, 1e30f, 1e30f], [1f, 2f], TensorShape.Vector(2));
        var network = new Network(TensorShape.Vector(2), [new Dense(1)], new MeanSquaredError());
        var trainer = new NetworkTrainer(network, new Sgd(1e10f), new TrainerOptions { Epochs = 10, BatchSize = 2 });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data));
        Assert.Equal(1, e.Epoch);
    }

    [Fact]
    public void StepsAllocateNothingOnceWarm()
    {
        var network = new Network(TensorShape.Vector(8),
            [new Dense(64), new Relu(), new Dropout(0.2f), new Dense(64), new Tanh(), new Dense(6), new Maxout(2)], new SoftmaxCrossEntropy(), 1);
        var trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { GradientClipNorm = 1f, MaxNorm = 3f });
        var rng = new Rng(1);
        var x = new Tensor(32, TensorShape.Vector(8));
        for (int i = 0; i < x.Length; i++) x.Span[i] = rng.NextFloat(-1, 1);
        var y = Enumerable.Range(0, 32).Select(i => (float)(i % 3)).ToArray();
        for (int i = 0; i < 3; i++) trainer.TrainStep(x, y, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) trainer.TrainStep(x, y, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("Epochs")]
    [InlineData("BatchSize")]
    [InlineData("ValidationFraction")]
    [InlineData("EarlyStoppingPatience")]
    [InlineData("GradientClipNorm")]
    public void InvalidOptionsAreNamed(string option)
    {
        var options = new TrainerOptions();
        switch (option)
        {
            case "Epochs": options.Epochs = 0; break;
            case "BatchSize": options.BatchSize = -1; break;
            case "ValidationFraction": options.ValidationFraction = 1f; break;
            case "EarlyStoppingPatience": options.EarlyStoppingPatience = -2; break;
            case "GradientClipNorm": options.GradientClipNorm = float.NaN; break;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkTrainer(Classifier(), new Sgd(0.1f), options));
        Assert.Equal(option, e.ParamName);
    }

    [Fact]
    public void EmptyOrMismatchedDataIsRejected()
    {
        var trainer = new NetworkTrainer(Classifier(), new Sgd(0.1f));
        var empty = Assert.Throws<ArgumentException>(() => trainer.Fit(new InMemoryDataset([], [], TensorShape.Vector(8))));
        Assert.Contains("empty", empty.Message);
        var wrong = Assert.Throws<ArgumentException>(() => trainer.Fit(new InMemoryDataset(new float[10], new float[2], TensorShape.Vector(5))));
        Assert.Contains("[5]", wrong.Message);
        Assert.Throws<InvalidOperationException>(() => new NetworkTrainer(Classifier(), new Sgd(0.1f), new TrainerOptions { EarlyStoppingPatience = 2 }).Fit(Blobs(10, 1)));
    }

    [Fact]
    public void LayerThatCannotTakeItsInputIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => new Network(TensorShape.Vector(7), [new Maxout(2)], new MeanSquaredError()));
        Assert.Contains("Maxout(2)", e.Message);
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
