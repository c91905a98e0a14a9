using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

public class StreamingTrainingTests
{
    private const int Features = 6;

    /// <summary>Sample i, made from its index alone: the same on every pass, held nowhere.</summary>
    private static void MakeSample(long index, Span<float> features, Span<float> targets)
    {
        var rng = new Rng((ulong)index + 1000);
        int c = (int)(index % 3);
        for (int j = 0; j < Features; j++) features[j] = (j % 3 == c ? 1f : 0f) + 0.5f * rng.NextGaussian();
        targets[0] = c;
    }

    private static InMemoryDataset Held(int count)
    {
        var x = new float[count * Features];
        var y = new float[count];
        for (int i = 0; i < count; i++) MakeSample(i, x.AsSpan(i * Features, Features), y.AsSpan(i, 1));
        return new InMemoryDataset(x, y, TensorShape.Vector(Features));
    }

    private static NetworkTrainer Trainer(TrainerOptions options) => new(
        new Network(TensorShape.Vector(Features), [new Dense(16), new Relu(), new Dropout(0.1f), new Dense(3)], new SoftmaxCrossEntropy(), 3),
        new Adam(0.01f), options);

    private static float[] Weights(NetworkTrainer trainer) => trainer.Network.Parameters.SelectMany(p => p.Value).ToArray();

    [Fact]
    public void WithoutShufflingAStreamTrainsExactlyAsTheSameSamplesInMemory()
    {
        // Unshuffled, both read samples 0, 1, 2, ... each epoch, so every step sees the same batch: the same bits.
        var options = new TrainerOptions { Epochs = 3, BatchSize = 16, Shuffle = false, Seed = 5 };
        var inMemory = Trainer(options);
        inMemory.Fit(Held(200));
        var streamed = Trainer(options);
        var result = streamed.FitStream(SampleStream.FromFunction(200, TensorShape.Vector(Features), 1, MakeSample));
        Assert.Equal(Weights(inMemory), Weights(streamed));
        Assert.Equal(3, result.History.Count);
    }

    [Fact]
    public void AShuffledStreamIsTheSameRunToRunAndLearns()
    {
        var options = new TrainerOptions { Epochs = 4, BatchSize = 16, ShufflePoolSize = 50, Seed = 5 };
        var stream = SampleStream.FromFunction(600, TensorShape.Vector(Features), 1, MakeSample);
        var first = Trainer(options);
        var history = first.FitStream(stream, Held(90)).History;
        var second = Trainer(options);
        second.FitStream(stream, Held(90));
        Assert.Equal(Weights(first), Weights(second));
        Assert.True(history[^1].ValidationAccuracy > 0.9, $"validation accuracy {history[^1].ValidationAccuracy}");
    }

    [Fact]
    public void AStreamRefusesWhatItCannotHonour()
    {
        var stream = SampleStream.FromFunction(10, TensorShape.Vector(Features), 1, MakeSample);
        var split = Assert.Throws<InvalidOperationException>(() => Trainer(new TrainerOptions { ValidationFraction = 0.2f }).FitStream(stream));
        Assert.Contains("ValidationFraction", split.Message);
        var stopping = Assert.Throws<InvalidOperationException>(() => Trainer(new TrainerOptions { EarlyStoppingPatience = 2 }).FitStream(stream));
        Assert.Contains("validation", stopping.Message);
        var empty = Assert.Throws<ArgumentException>(() => Trainer(new TrainerOptions()).FitStream(SampleStream.FromFunction(0, TensorShape.Vector(Features), 1, MakeSample)));
        Assert.Contains("no samples", empty.Message);
    }
}
