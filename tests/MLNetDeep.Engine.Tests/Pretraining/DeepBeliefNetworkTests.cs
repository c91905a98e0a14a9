using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Pretraining;

public class DeepBeliefNetworkTests
{
    /// <summary>40 samples of 12 values in [0, 1]: two noisy prototypes.</summary>
    private static float[] Data(int count = 40)
    {
        var rng = new Rng(9);
        var x = new float[count * 12];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < 12; j++) x[i * 12 + j] = ((j + i) % 2 == 0 ? 0.8f : 0.1f) + 0.1f * rng.NextFloat();
        return x;
    }

    private static PretrainingOptions Options(bool gaussian = false) => new() { Epochs = 3, BatchSize = 8, Seed = 4, GaussianVisible = gaussian, LearningRate = gaussian ? 0.01f : 0.1f };

    private static DeepBeliefNetwork Small(bool gaussian = false) => DeepBeliefNetwork.Pretrain(Data(), 12, [7, 5], Options(gaussian));

    private static byte[] Bytes(DeepBeliefNetwork dbn)
    {
        using var stream = new MemoryStream();
        dbn.Save(stream);
        return stream.ToArray();
    }

    private static DeepBeliefNetwork FromBytes(byte[] bytes) => DeepBeliefNetwork.Load(new MemoryStream(bytes, writable: false));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveLoadRoundTripIsBitExact(bool gaussian)
    {
        var dbn = Small(gaussian);
        var bytes = Bytes(dbn);
        var copy = FromBytes(bytes);
        Assert.Equal(dbn.ToString(), copy.ToString());
        for (int i = 0; i < dbn.Layers.Count; i++)
        {
            Assert.Equal(dbn.Layers[i].GetType(), copy.Layers[i].GetType());
            foreach (var (a, b) in new[] { (dbn.Layers[i].Weight, copy.Layers[i].Weight), (dbn.Layers[i].VisibleBias, copy.Layers[i].VisibleBias), (dbn.Layers[i].HiddenBias, copy.Layers[i].HiddenBias) })
                Assert.Equal(a.Value.Select(BitConverter.SingleToInt32Bits), b.Value.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(bytes, Bytes(copy));
        var x = Data(3);
        float[] fa = new float[15], fb = new float[15];
        dbn.Transform(x, 3, fa);
        copy.Transform(x, 3, fb);
        Assert.Equal(fa.Select(BitConverter.SingleToInt32Bits), fb.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void EveryFlippedBitIsInvalidData()
    {
        var rbm = new BernoulliRbm(3, 2, seed: 5);
        var bytes = Bytes(new DeepBeliefNetwork([rbm, new BernoulliRbm(2, 2, seed: 6)]));
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<InvalidDataException>(() => FromBytes(damaged));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(30)]
    [InlineData(-1)]
    public void TruncatedFileIsInvalidData(int keep)
    {
        var bytes = Bytes(Small());
        var e = Assert.Throws<InvalidDataException>(() => FromBytes(bytes[..(keep >= 0 ? keep : bytes.Length - 1)]));
        Assert.Contains("runcated", e.Message);
    }

    [Fact]
    public void ANetworkFileIsNotADeepBeliefNetwork()
    {
        var network = new Network(TensorShape.Vector(3), [new Dense(2), new Sigmoid()], new MeanSquaredError());
        using var stream = new MemoryStream();
        network.Save(stream);
        var e = Assert.Throws<InvalidDataException>(() => FromBytes(stream.ToArray()));
        Assert.Contains("MLDB", e.Message);
    }

    [Fact]
    public void InitializeDenseCopiesWeightsAndHiddenBiasesInOrder()
    {
        var dbn = Small();
        var network = new Network(TensorShape.Vector(12), [new Dense(7), new Sigmoid(), new Dense(5), new Sigmoid(), new Dense(3)], new SoftmaxCrossEntropy(), seed: 2);
        var output = network.Layers.OfType<Dense>().Last().Weight.Value.ToArray();
        dbn.InitializeDense(network);
        var dense = network.Layers.OfType<Dense>().ToArray();
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(dbn.Layers[i].Weight.Value, dense[i].Weight.Value);
            Assert.Equal(dbn.Layers[i].HiddenBias.Value, dense[i].Bias.Value);
        }
        Assert.Equal(output, dense[2].Weight.Value);
        // The network's sigmoid layers now compute the DBN's features.
        var x = Data(2);
        var features = new float[10];
        dbn.Transform(x, 2, features);
        var h = new Tensor(x, 2, TensorShape.Vector(12));
        for (int l = 0; l < 4; l++) h = network.Layers[l].Forward(h, training: false);
        for (int i = 0; i < 10; i++) Assert.Equal(features[i], h.Span[i], 1e-6);
    }

    [Fact]
    public void InitializeDenseRejectsMismatchedShapesWithoutCopying()
    {
        var dbn = Small();
        var wrong = new Network(TensorShape.Vector(12), [new Dense(7), new Sigmoid(), new Dense(6), new Sigmoid(), new Dense(3)], new SoftmaxCrossEntropy());
        var before = wrong.Layers.OfType<Dense>().First().Weight.Value.ToArray();
        var e = Assert.Throws<ArgumentException>(() => dbn.InitializeDense(wrong));
        Assert.Contains("Dense layer 1", e.Message);
        Assert.Contains("[6, 7]", e.Message);
        Assert.Equal(before, wrong.Layers.OfType<Dense>().First().Weight.Value);

        var shallow = new Network(TensorShape.Vector(12), [new Dense(7), new Sigmoid()], new MeanSquaredError());
        Assert.Contains("only 1 dense", Assert.Throws<ArgumentException>(() => dbn.InitializeDense(shallow)).Message);
        Assert.Contains("no weights yet", Assert.Throws<ArgumentException>(() => dbn.ApplyTo([new Dense(7), new Dense(5)])).Message);
    }

    [Fact]
    public void TransformIsTheChainOfHiddenProbabilities()
    {
        var dbn = Small();
        var x = Data(5);
        var h1 = new float[5 * 7];
        var h2 = new float[5 * 5];
        dbn.Layers[0].HiddenProbabilities(x, 5, h1);
        dbn.Layers[1].HiddenProbabilities(h1, 5, h2);
        var features = new float[5 * dbn.FeatureCount];
        dbn.Transform(x, 5, features);
        Assert.Equal(h2, features);
        Assert.Throws<ArgumentException>(() => dbn.Transform(x, 4, features));
    }

    [Fact]
    public void PretrainingIsSeededAndReportsEveryLayer()
    {
        var reports = new List<RbmEpochReport>();
        var dbn = DeepBeliefNetwork.Pretrain(Data(), 12, [7, 5], Options(), new ReportCollector(reports));
        Assert.Equal([0, 0, 0, 1, 1, 1], reports.Select(r => r.Layer));
        Assert.Equal([1, 2, 3, 1, 2, 3], reports.Select(r => r.Epoch));
        Assert.Equal(Bytes(dbn), Bytes(Small()));
        Assert.NotEqual(Bytes(dbn), Bytes(DeepBeliefNetwork.Pretrain(Data(), 12, [7, 5], new PretrainingOptions { Epochs = 3, BatchSize = 8, Seed = 5 })));
        Assert.IsType<GaussianBernoulliRbm>(Small(gaussian: true).Layers[0]);
        Assert.IsType<BernoulliRbm>(Small(gaussian: true).Layers[1]);
    }

    [Fact]
    public void StacksMustChainAndOnlyTheFirstMayBeGaussian()
    {
        Assert.Contains("hidden units", Assert.Throws<ArgumentException>(() => new DeepBeliefNetwork([new BernoulliRbm(4, 3), new BernoulliRbm(2, 2)])).Message);
        Assert.Contains("Gaussian", Assert.Throws<ArgumentException>(() => new DeepBeliefNetwork([new BernoulliRbm(4, 3), new GaussianBernoulliRbm(3, 2)])).Message);
        Assert.Throws<ArgumentException>(() => new DeepBeliefNetwork([]));
    }

    public static TheoryData<string, Action<PretrainingOptions>> InvalidOptions => new()
    {
        { "Epochs", o => o.Epochs = 0 },
        { "CdSteps", o => o.CdSteps = 0 },
        { "LearningRate", o => o.LearningRate = 0 },
        { "LearningRate", o => o.LearningRate = float.NaN },
        { "Momentum", o => o.Momentum = 1 },
        { "Momentum", o => o.Momentum = -0.1f },
        { "WeightDecay", o => o.WeightDecay = -1e-4f },
        { "WeightDecay", o => o.WeightDecay = float.PositiveInfinity },
        { "BatchSize", o => o.BatchSize = 0 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionsAreNamed(string name, Action<PretrainingOptions> spoil)
    {
        var options = new PretrainingOptions();
        options.Validate();
        spoil(options);
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(name, e.ParamName);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => DeepBeliefNetwork.Pretrain(Data(), 12, [3], options)).ParamName);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new BernoulliRbm(12, 3).Train(Data(), options)).ParamName);
    }

    [Fact]
    public void BadDataIsRejectedWithAMessage()
    {
        var rbm = new BernoulliRbm(12, 3);
        Assert.Contains("whole number", Assert.Throws<ArgumentException>(() => rbm.Train(new float[13], new RbmTrainingOptions())).Message);
        var data = Data();
        data[30] = float.NaN;
        Assert.Contains("Sample 2", Assert.Throws<ArgumentException>(() => rbm.Train(data, new RbmTrainingOptions())).Message);
        Assert.Throws<ArgumentException>(() => rbm.Train([], new RbmTrainingOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeepBeliefNetwork.Pretrain(Data(), 12, [3, 0], new PretrainingOptions()));
    }
}
