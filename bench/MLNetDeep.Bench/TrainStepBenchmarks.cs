using BenchmarkDotNet.Attributes;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Bench;

/// <summary>
/// One training step (forward, loss, backward, Adam) of the MLP 784-512-512-10 with ReLU and
/// dropout 0.2, and of the small CNN, at batch 128. The memory diagnoser's Allocated column shows
/// that a step in steady state allocates nothing: every buffer is sized once and reused.
/// </summary>
[MemoryDiagnoser]
public class TrainStepBenchmarks
{
    private NetworkTrainer _trainer = null!;
    private Tensor _inputs = null!;
    private float[] _targets = [];

    [Params("MLP", "CNN")]
    public string Network { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        const int batch = 128;
        var (network, inputs, targets) = Build(Network, batch);
        _trainer = new NetworkTrainer(network, new Adam(1e-3f), new TrainerOptions { BatchSize = batch, Threads = Threads });
        _inputs = inputs;
        _targets = targets;
        for (int i = 0; i < 3; i++) Step(); // size every buffer and the optimizer's state
    }

    /// <summary>The network named "MLP" or "CNN", a batch of random inputs for it and random class targets.</summary>
    internal static (Network Network, Tensor Inputs, float[] Targets) Build(string name, int batch)
    {
        var rng = new Rng(1);
        Layer[] layers = name switch
        {
            "MLP" =>
            [
                new Dense(512, Initializer.XavierUniform), new Relu(), new Dropout(0.2f),
                new Dense(512, Initializer.XavierUniform), new Relu(), new Dropout(0.2f),
                new Dense(10, Initializer.XavierUniform),
            ],
            "CNN" =>
            [
                new Conv2D(32, 3), new Relu(), new MaxPool2D(2),
                new Conv2D(64, 3), new Relu(), new MaxPool2D(2),
                new Dense(128, Initializer.HeNormal), new Relu(), new Dense(10, Initializer.HeNormal),
            ],
            // The samples' modern CNN (Cnn.ModernOptions): batch norm after each convolution and a residual block.
            "ModernCNN" =>
            [
                new Conv2D(32, 3, ConvPadding.Same), new BatchNorm(), new Relu(), new MaxPool2D(2),
                new Residual(new Conv2D(32, 3, ConvPadding.Same), new BatchNorm(), new Relu(), new Conv2D(32, 3, ConvPadding.Same), new BatchNorm()),
                new Relu(),
                new Conv2D(64, 3, ConvPadding.Same), new BatchNorm(), new Relu(), new MaxPool2D(2), new Dropout(0.3f),
                new Dense(10, Initializer.HeNormal),
            ],
            _ => throw new ArgumentException($"The network is MLP, CNN or ModernCNN, not '{name}'.", nameof(name)),
        };
        var shape = name == "MLP" ? TensorShape.Vector(784) : TensorShape.Image(1, 28, 28);
        var network = new Network(shape, layers, new SoftmaxCrossEntropy(), seed: 1);
        var inputs = new Tensor(Enumerable.Range(0, batch * shape.Size).Select(_ => rng.NextFloat()).ToArray(), batch, shape);
        var targets = Enumerable.Range(0, batch).Select(_ => (float)rng.NextInt(10)).ToArray();
        return (network, inputs, targets);
    }

    [Benchmark]
    public float Step() => _trainer.TrainStep(_inputs, _targets, out _);
}
