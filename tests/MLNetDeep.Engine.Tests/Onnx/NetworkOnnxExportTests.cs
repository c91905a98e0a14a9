using System.Numerics.Tensors;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Onnx;

/// <summary>
/// Every layer type and activation, in networks of each of the three tasks, exported to ONNX and
/// scored by ONNX Runtime on 100 rows: its outputs must be the engine's within 1e-5 (relative above 1)
/// and its predicted labels the same, and loading the model must log no warning.
/// </summary>
public sealed class NetworkOnnxExportTests
{
    private const int Rows = 100;

    private static readonly TensorShape Image = TensorShape.Image(2, 9, 8);

    /// <summary>Each case: a network whose layers, together, cover what the case is named after.</summary>
    private static readonly Dictionary<string, Func<Network>> Cases = new()
    {
        ["Dense+Relu, softmax classifier"] = () => new(TensorShape.Vector(12), [new Dense(16), new Relu(), new Dense(5)], new SoftmaxCrossEntropy()),
        ["Dense+Sigmoid, binary"] = () => new(TensorShape.Vector(12), [new Dense(10), new Sigmoid(), new Dense(1)], new SigmoidBinaryCrossEntropy()),
        ["Dense+Tanh, regression"] = () => new(TensorShape.Vector(12), [new Dense(10), new Tanh(), new Dense(1)], new MeanSquaredError()),
        ["LeakyRelu(0.1), softmax classifier"] = () => new(TensorShape.Vector(12), [new Dense(10), new LeakyRelu(0.1f), new Dense(4)], new SoftmaxCrossEntropy()),
        ["Elu(0.7), regression with two targets"] = () => new(TensorShape.Vector(12), [new Dense(10), new Elu(0.7f), new Dense(2)], new MeanSquaredError()),
        ["Identity, binary with three outputs"] = () => new(TensorShape.Vector(12), [new Dense(10), new Identity(), new Dense(3)], new SigmoidBinaryCrossEntropy()),
        ["Maxout(3), softmax classifier"] = () => new(TensorShape.Vector(12), [new Dense(15), new Maxout(3), new Dense(4)], new SoftmaxCrossEntropy()),
        ["Softmax layer, regression"] = () => new(TensorShape.Vector(12), [new Dense(6), new Softmax(), new Dense(1)], new MeanSquaredError()),
        ["Dropout, softmax classifier"] = () => new(TensorShape.Vector(12), [new Dense(16), new Relu(), new Dropout(0.4f), new Dense(3)], new SoftmaxCrossEntropy()),
        ["Conv2D+Relu (fused) and MaxPool2D, softmax classifier"] = () => new(Image,
            [new Conv2D(4, 3, padding: 1), new Relu(), new MaxPool2D(2), new Flatten(), new Dense(5)], new SoftmaxCrossEntropy()),
        ["Conv2D stride 2 and AveragePool2D, binary"] = () => new(Image,
            [new Conv2D(3, 3, stride: 2), new Tanh(), new AveragePool2D(2, stride: 1), new Flatten(), new Dense(1)], new SigmoidBinaryCrossEntropy()),
        ["MaxPool2D(3, stride 2), Dense on an image, regression"] = () => new(Image,
            [new Conv2D(3, 2, padding: 2), new Elu(), new MaxPool2D(3, stride: 2), new Dense(1)], new MeanSquaredError()),
        ["Softmax layer on an image, softmax classifier"] = () => new(Image,
            [new Conv2D(2, 3), new Softmax(), new Flatten(), new Dense(3)], new SoftmaxCrossEntropy()),
        ["Residual and Sequential nested two deep, softmax classifier"] = () => new(TensorShape.Vector(12),
            [new Dense(10), new Sequential(new Residual(new Dense(10), new Tanh(), new Residual(new Dense(10), new Relu())), new Elu()),
             new Residual([new Dense(6), new Sigmoid()], new Dense(6)), new Dense(4)], new SoftmaxCrossEntropy()),
        ["FeatureScaling with smooth clipping first and without it last, regression"] = () => new(TensorShape.Vector(12),
            [new FeatureScaling([.. Enumerable.Range(0, 12).Select(i => i * 0.3f - 1.5f)], [.. Enumerable.Range(0, 12).Select(i => 0.5f + i * 0.4f)], clip: 3f),
             new Dense(8), new Relu(), new Dense(1), new FeatureScaling([-12f], [250f])], new MeanSquaredError()),
        ["FeatureScaling then PeriodicEmbedding, binary"] = () => new(TensorShape.Vector(12),
            [new FeatureScaling([.. Enumerable.Range(0, 12).Select(i => i * 0.3f - 1.5f)], [.. Enumerable.Range(0, 12).Select(i => 0.5f + i * 0.4f)], clip: 3f),
             new PeriodicEmbedding(frequencies: 5, outputs: 3, sigma: 0.4f), new Dense(8), new Relu(), new Dense(1)], new SigmoidBinaryCrossEntropy(0.1f)),
        ["FeatureScaling of an image, softmax classifier"] = () => new(TensorShape.Image(2, 3, 3),
            [new FeatureScaling([.. Enumerable.Range(0, 18).Select(i => i * 0.1f)], [.. Enumerable.Range(0, 18).Select(i => 2f - i * 0.05f)]),
             new Conv2D(2, 2), new Relu(), new Flatten(), new Dense(3)], new SoftmaxCrossEntropy()),
        ["Residual convolutions with a 1x1 projection, regression"] = () => new(Image,
            [new Residual(new Conv2D(2, 3, padding: 1), new Relu()), new Residual(new Conv2D(4, 3, stride: 2, padding: 1), new Tanh()),
             new Residual(new Flatten(), new Dense(7)), new Dense(1)], new MeanSquaredError()),
        ["Gelu, Silu, Selu and Softplus, softmax classifier"] = () => new(TensorShape.Vector(12),
            [new Dense(10), new Gelu(), new Dense(10), new Silu(), new Dense(10), new Selu(), new Dense(8), new Softplus(), new Dense(4)], new SoftmaxCrossEntropy()),
        ["BatchNorm folded into Dense, LayerNorm, regression"] = () => WithRunningStatistics(new(TensorShape.Vector(12),
            [new Dense(10), new BatchNorm(), new Relu(), new LayerNorm(), new Dense(6), new Tanh(), new BatchNorm(), new Dense(2)], new MeanSquaredError())),
        ["Conv2D same padding, BatchNorm folded into it, LayerNorm on an image, GlobalAveragePool2D, softmax classifier"] = () => WithRunningStatistics(new(Image,
            [new Conv2D(4, 3, ConvPadding.Same), new BatchNorm(), new Relu(), new LayerNorm(), new Conv2D(3, 5, ConvPadding.Same, stride: 2),
             new Tanh(), new BatchNorm(), new GlobalAveragePool2D(), new Dense(3)], new SoftmaxCrossEntropy())),
        ["Ensemble of three MLPs between FeatureScaling layers, regression"] = () => new(TensorShape.Vector(12),
            [new FeatureScaling([.. Enumerable.Range(0, 12).Select(i => i * 0.2f - 1f)], [.. Enumerable.Range(0, 12).Select(i => 0.5f + i * 0.3f)], clip: 3f),
             new Ensemble(new Sequential(new Dense(8), new Relu(), new Dense(1)), new Sequential(new Dense(6), new Tanh(), new Dense(1)), new Dense(1)),
             new FeatureScaling([-3f], [40f])], new MeanSquaredError()),
        ["Ensemble of two members, softmax classifier"] = () => new(TensorShape.Vector(12),
            [new Ensemble(new Sequential(new Dense(10), new Relu(), new Dropout(0.2f), new Dense(4)), new Sequential(new Dense(10), new Elu(), new Dense(4)))],
            new SoftmaxCrossEntropy()),
    };

    /// <summary>Running statistics away from their start (mean 0, variance 1), so that an export that ignored them would differ.</summary>
    private static Network WithRunningStatistics(Network network)
    {
        var rng = new Rng(23);
        foreach (var norm in network.AllLayers.OfType<BatchNorm>())
            for (int i = 0; i < norm.RunningMean.Length; i++)
            {
                norm.RunningMean.Value[i] = rng.NextFloat(-0.5f, 0.5f);
                norm.RunningVariance.Value[i] = rng.NextFloat(0.2f, 3f);
            }
        return network;
    }

    [Fact]
    public void EveryRegisteredLayerTypeIsInACase()
    {
        // A new layer type needs its ONNX form and a case here, as it needs a gradient-check case.
        var covered = Cases.Values.SelectMany(make => make().AllLayers).Select(l => l.GetType()).ToHashSet();
        var missing = MLNetDeep.Engine.Serialization.LayerRegistry.Types.Where(t => !covered.Contains(t)).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0, $"Layer types no ONNX case covers: {string.Join(", ", missing)}.");
    }

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OnnxRuntimeScoresTheExportLikeTheEngine(string name)
    {
        var network = WithRandomParameters(Cases[name]());
        var inputs = RandomInputs(network.InputShape.Size * Rows, seed: 3);
        int outputs = network.OutputShape.Size;
        var expected = new float[Rows * outputs];
        network.Predict(inputs, Rows, expected);

        using var session = OnnxRuntimeHost.Load(Export(network), out var warnings);
        var actual = OnnxRuntimeHost.Score(session, inputs, Rows, network.InputShape.Dims);

        Assert.Empty(warnings);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])),
                $"{name}, output {i}: the engine gives {expected[i]}, ONNX Runtime {actual[i]}.");
        Assert.Equal(Labels(network.Loss, expected, outputs), Labels(network.Loss, actual, outputs));
    }

    [Fact]
    public void TheRawOutputsExportWithoutTheLossActivation()
    {
        var network = WithRandomParameters(Cases["Dense+Relu, softmax classifier"]());
        var inputs = RandomInputs(network.InputShape.Size * Rows, seed: 5);
        var expected = new float[Rows * network.OutputShape.Size];
        network.Predict(inputs, Rows, expected, activate: false);
        using var stream = new MemoryStream();
        network.ExportOnnx(stream, activate: false);

        using var session = OnnxRuntimeHost.Load(stream.ToArray(), out _);
        var actual = OnnxRuntimeHost.Score(session, inputs, Rows, network.InputShape.Dims);

        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])));
        Assert.Contains(actual, v => v < 0 || v > 1); // logits, not probabilities
    }

    [Fact]
    public void AFlatInputFeedsAnImageNetworkThroughWriteOnnx()
    {
        // A host such as ML.NET hands the network a flat feature vector [N, C*H*W].
        var network = WithRandomParameters(Cases["Conv2D+Relu (fused) and MaxPool2D, softmax classifier"]());
        var inputs = RandomInputs(network.InputShape.Size * Rows, seed: 8);
        var expected = new float[Rows * network.OutputShape.Size];
        network.Predict(inputs, Rows, expected);

        var writer = new OnnxModelWriter("flat", "");
        string input = writer.AddInput("input", [network.InputShape.Size]);
        writer.AddOutput(network.WriteOnnx(writer, input), "output", network.OutputShape.Dims);
        using var stream = new MemoryStream();
        writer.WriteTo(stream, NetworkOnnxExport.OpsetVersion, "test");

        using var session = OnnxRuntimeHost.Load(stream.ToArray(), out var warnings);
        var actual = OnnxRuntimeHost.Score(session, inputs, Rows, [network.InputShape.Size]);

        Assert.Empty(warnings);

        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f);
    }

    [Fact]
    public void TheModelDeclaresOpset12AndNamesItsInputAndOutput()
    {
        var network = WithRandomParameters(Cases["Conv2D+Relu (fused) and MaxPool2D, softmax classifier"]());
        var model = global::Onnx.ModelProto.Parser.ParseFrom(Export(network));

        Assert.Equal(12, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(NetworkOnnxExport.InputName, model.Graph.Input.Single().Name);
        Assert.Equal(NetworkOnnxExport.OutputName, model.Graph.Output.Single().Name);
        Assert.Equal(["N", "2", "9", "8"], model.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString()));
        Assert.Contains(model.Graph.Node, n => n.OpType == "Conv");
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Dropout");
    }

    private static byte[] Export(Network network)
    {
        using var stream = new MemoryStream();
        network.ExportOnnx(stream);
        return stream.ToArray();
    }

    /// <summary>Draws every weight and bias (biases are 0 after initialisation) so that no form can hide a mistake behind zeros.</summary>
    internal static Network WithRandomParameters(Network network)
    {
        var rng = new Rng(17);
        foreach (var p in network.Parameters)
            for (int i = 0; i < p.Length; i++) p.Value[i] = rng.NextFloat(-0.6f, 0.6f);
        return network;
    }

    internal static float[] RandomInputs(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = rng.NextFloat(-1f, 1.5f);
        return values;
    }

    /// <summary>The labels the task predicts: the class of highest probability, each output above 0.5, or none for regression.</summary>
    private static int[] Labels(Loss loss, float[] outputs, int width) => loss switch
    {
        SoftmaxCrossEntropy => Enumerable.Range(0, outputs.Length / width).Select(r => TensorPrimitives.IndexOfMax(outputs.AsSpan(r * width, width))).ToArray(),
        SigmoidBinaryCrossEntropy => outputs.Select(p => p > 0.5f ? 1 : 0).ToArray(),
        _ => [],
    };
}
