using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetDeep.Bench.Compare;

/// <summary>Trains the same network with TorchSharp (libtorch on the CPU), the usual PyTorch way.</summary>
public static class TorchTraining
{
    public static Sequential Build(TrainingSetup s) => s.Network == NetworkKind.Mlp
        ? Sequential(
            ("fc1", Linear(784, 512)), ("relu1", ReLU()), ("drop1", Dropout(s.Dropout)),
            ("fc2", Linear(512, 512)), ("relu2", ReLU()), ("drop2", Dropout(s.Dropout)),
            ("fc3", Linear(512, 10)))
        : Sequential(
            ("conv1", Conv2d(1, 32, 3, padding: s.Padding)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(32, 64, 3, padding: s.Padding)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
            ("flatten", Flatten()),
            ("fc1", Linear(64 * Pooled(s.Padding) * Pooled(s.Padding), 128)), ("relu3", ReLU()),
            ("fc2", Linear(128, 10)));

    /// <summary>The side of the second pooled map: 28 -> conv -> pool -> conv -> pool.</summary>
    public static int Pooled(int padding)
    {
        int side = (28 + 2 * padding - 2) / 2;
        return (side + 2 * padding - 2) / 2;
    }

    public static Measurement Run(TrainingSetup s)
    {
        var data = FashionMnist.Load();
        torch.set_num_threads(s.Threads);
        torch.manual_seed(s.Seed);
        var m = new Measurement { Config = $"{s.Network.ToString().ToLowerInvariant()}-torch" };
        m.Notes["torch"] = $"TorchSharp {typeof(torch).Assembly.GetName().Version}, torch threads {torch.get_num_threads()}, interop threads {torch.get_num_interop_threads()}";

        long[] shape = s.Network == NetworkKind.Mlp ? [-1, 784] : [-1, 1, 28, 28];
        using var trainX = torch.tensor(data.TrainX).reshape(shape);
        using var trainY = torch.tensor(data.TrainY.Select(v => (long)v).ToArray());
        using var testX = torch.tensor(data.TestX).reshape(shape);
        using var testY = torch.tensor(data.TestY.Select(v => (long)v).ToArray());
        int n = data.TrainCount;

        var model = Build(s);
        var optimizer = torch.optim.Adam(model.parameters(), lr: s.LearningRate);
        var lossFunction = CrossEntropyLoss();
        var generator = new Generator().manual_seed(s.Seed);
        var total = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            model.train();
            var watch = Stopwatch.StartNew();
            double lossSum = 0;
            using (var order = torch.randperm(n, generator: generator))
            {
                for (int start = 0; start < n; start += s.BatchSize)
                {
                    using var scope = torch.NewDisposeScope();
                    int count = Math.Min(s.BatchSize, n - start);
                    var index = order.narrow(0, start, count);
                    var x = trainX.index_select(0, index);
                    var y = trainY.index_select(0, index);
                    optimizer.zero_grad();
                    var loss = lossFunction.forward(model.forward(x), y);
                    loss.backward();
                    optimizer.step();
                    if (start == 0) lossSum = loss.item<float>(); // a sync point once an epoch only
                }
            }
            m.EpochSeconds.Add(watch.Elapsed.TotalSeconds);
            double accuracy = Evaluate(model, testX, testY);
            m.EpochAccuracy.Add(accuracy);
            Console.Error.WriteLine($"  torch {s.Network} epoch {epoch}: {m.EpochSeconds[^1]:F2} s, first-batch loss {lossSum:F4}, test accuracy {accuracy:P2}");
        }
        m.Values["test_accuracy"] = m.EpochAccuracy[^1];
        m.Values["wall_s"] = total.Elapsed.TotalSeconds;
        s.Summarize(m, n);
        return m;
    }

    private static double Evaluate(Sequential model, Tensor x, Tensor y)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        long correct = 0, n = y.shape[0];
        for (long start = 0; start < n; start += 1000)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(1000, n - start);
            var predicted = model.forward(x.narrow(0, start, count)).argmax(1);
            correct += predicted.eq(y.narrow(0, start, count)).sum().item<long>();
        }
        return correct / (double)n;
    }
}
