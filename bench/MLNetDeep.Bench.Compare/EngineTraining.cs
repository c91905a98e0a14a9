using System.Diagnostics;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Bench.Compare;

/// <summary>Trains the network with the MLNetDeep engine directly (Network + NetworkTrainer).</summary>
public static class EngineTraining
{
    /// <summary>As DeepNet builds it: Xavier uniform for the MLP, He normal (DeepNet's Initializer = He) for the CNN.</summary>
    public static Network Build(TrainingSetup s)
    {
        Layer[] layers = s.Network == NetworkKind.Mlp
            ?
            [
                new Dense(512, Initializer.XavierUniform), new Relu(), new Dropout(s.Dropout),
                new Dense(512, Initializer.XavierUniform), new Relu(), new Dropout(s.Dropout),
                new Dense(10, Initializer.XavierUniform),
            ]
            :
            [
                new Conv2D(32, 3, padding: s.Padding, initializer: Initializer.HeNormal), new Relu(), new MaxPool2D(2),
                new Conv2D(64, 3, padding: s.Padding, initializer: Initializer.HeNormal), new Relu(), new MaxPool2D(2),
                new Dense(128, Initializer.HeNormal), new Relu(),
                new Dense(10, Initializer.HeNormal),
            ];
        var input = s.Network == NetworkKind.Mlp ? TensorShape.Vector(FashionMnist.Pixels) : TensorShape.Image(1, 28, 28);
        return new Network(input, layers, new SoftmaxCrossEntropy(), (ulong)s.Seed);
    }

    public static Measurement Run(TrainingSetup s)
    {
        var data = FashionMnist.Load();
        var network = Build(s);
        var shape = network.InputShape;
        var train = new InMemoryDataset(data.TrainX, data.TrainY, shape);
        var test = new InMemoryDataset(data.TestX, data.TestY, shape);
        var m = new Measurement { Config = $"{s.Network.ToString().ToLowerInvariant()}-engine" };
        var trainer = new NetworkTrainer(network, new Adam(s.LearningRate), new TrainerOptions
        {
            Epochs = s.Epochs, BatchSize = s.BatchSize, Seed = (ulong)s.Seed, Threads = s.Threads,
        });
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        // Test accuracy after each epoch, read in the (synchronous) progress callback: the epoch's
        // training time is the trainer's own measure of its steps, which excludes this evaluation.
        var progress = new Callback(report =>
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (report.Epoch > 1) m.Values["allocated_bytes_per_epoch"] = now - allocated;
            m.EpochSeconds.Add(train.Count / report.SamplesPerSecond);
            var (_, accuracy) = trainer.Evaluate(test);
            m.EpochAccuracy.Add(accuracy!.Value);
            Console.Error.WriteLine($"  engine {s.Network} epoch {report.Epoch}: {m.EpochSeconds[^1]:F2} s, loss {report.TrainingLoss:F4}, test accuracy {accuracy:P2}");
            allocated = GC.GetAllocatedBytesForCurrentThread();
        });
        var total = Stopwatch.StartNew();
        trainer.Fit(train, null, progress);
        m.Values["test_accuracy"] = m.EpochAccuracy[^1];
        m.Values["wall_s"] = total.Elapsed.TotalSeconds;
        s.Summarize(m, train.Count);
        m.Notes["network"] = network.ToString();
        return m;
    }

    private sealed class Callback(Action<EpochReport> action) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => action(value);
    }
}
