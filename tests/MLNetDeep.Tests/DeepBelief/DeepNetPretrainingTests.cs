using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Tests.DeepNet;
using Xunit.Abstractions;

namespace MLNetDeep.Tests.DeepBelief;

/// <summary>DeepNetOptions.Pretraining: DBN pre-training of the dense hidden layers before back-propagation.</summary>
public sealed class DeepNetPretrainingTests(ITestOutputHelper output)
{
    private readonly MLContext _ml = new(seed: 1);

    /// <summary>
    /// A deep sigmoid network drawn from Normal(0, 1), the course's "random normal", fine-tuned by plain SGD for
    /// 2 epochs: the same options with and without pre-training (the engine's test checks 3 seeds on 4 layers).
    /// </summary>
    private static DeepNetOptions DeepSigmoid(PretrainingOptions? pretraining) => new()
    {
        HiddenLayers = [128, 128, 128], Activation = ActivationKind.Sigmoid, Initializer = InitializerKind.Normal,
        Optimizer = OptimizerKind.Sgd, LearningRate = 0.1f, Epochs = 2, BatchSize = 100, Seed = 1,
        Pretraining = pretraining,
    };

    [Fact]
    public void PretrainedDeepSigmoidNetworkBeatsRandomNormalInitialisation()
    {
        var (train, test) = Digits.Split(_ml, 4000, 2000);
        double Accuracy(DeepNetOptions options) => _ml.MulticlassClassification.Evaluate(
            DeepNetPipelineTests.MulticlassPipeline(_ml, options).Fit(train).Transform(test)).MicroAccuracy;

        double random = Accuracy(DeepSigmoid(null));
        double pretrained = Accuracy(DeepSigmoid(new PretrainingOptions { Epochs = 2, Seed = 1 }));
        output.WriteLine($"784-128-128-128-10 sigmoid, 2 epochs of SGD: Normal(0, 1) init {random:F4}, DBN pre-trained {pretrained:F4}");
        Assert.True(pretrained > random, $"pre-trained {pretrained:F4}, random normal {random:F4}");
    }

    [Fact]
    public void ProgressOfEveryRbmReachesTheLogAndTheCallback()
    {
        var messages = new List<string>();
        _ml.Log += (_, e) => { if (e.Source.Contains("DeepNet")) lock (messages) messages.Add(e.Message); };
        var reports = new List<RbmEpochReport>();
        var options = DeepSigmoid(new PretrainingOptions { Epochs = 2 });
        options.HiddenLayers = [16, 8];
        options.Epochs = 1;
        options.PretrainingProgress = new SyncProgress<RbmEpochReport>(reports.Add);
        DeepNetPipelineTests.MulticlassPipeline(_ml, options).Fit(Digits.Split(_ml, 300, 1).Train);

        Assert.Equal([(0, 1), (0, 2), (1, 1), (1, 2)], reports.Select(r => (r.Layer, r.Epoch)));
        Assert.Contains(messages, m => m.Contains("784 -> 16 -> 8"));
        Assert.Contains(messages, m => m.Contains("layer 1 epoch 2/2"));
        Assert.Contains(messages, m => m.Contains("epoch 1/1")); // then back-propagation, as usual
    }

    [Fact]
    public void DenseLayersStartFromTheRbmsOfTheSameFeaturesAndDropoutIsPassedOver()
    {
        var train = Digits.Split(_ml, 300, 1).Train;
        var keyed = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(train);
        var pretraining = new PretrainingOptions { Epochs = 2, Seed = 5 };
        var options = DeepSigmoid(pretraining);
        options.Layers = [DeepNetLayer.Dense(12, ActivationKind.Sigmoid), DeepNetLayer.Dropout(0.2f), DeepNetLayer.Dense(6, ActivationKind.Sigmoid)];
        options.Epochs = 1;
        options.LearningRate = 1e-30f; // so small that back-propagation leaves every weight as pre-training set it
        var trained = _ml.MulticlassClassification.Trainers.DeepNet(options).Fit(keyed);

        float[] pixels = keyed.GetColumn<float[]>("Features").SelectMany(row => row).ToArray();
        var dbn = DeepBeliefNetwork.Pretrain(pixels, 784, [12, 6], pretraining);
        var dense = NetworkSerializer.FromBytes(trained.Model.Payload.Span).Layers.OfType<Dense>().ToArray();
        Assert.Equal(3, dense.Length);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(dbn.Layers[i].Weight.Value.Select(BitConverter.SingleToInt32Bits), dense[i].Weight.Value.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(dbn.Layers[i].HiddenBias.Value.Select(BitConverter.SingleToInt32Bits), dense[i].Bias.Value.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void PretrainingRefusesLayersItCannotInitialiseAndInvalidOptions()
    {
        DeepNetOptions With(Action<DeepNetOptions> change)
        {
            var options = new DeepNetOptions { Pretraining = new PretrainingOptions(), HiddenLayers = [8] };
            change(options);
            return options;
        }

        var none = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(With(o => o.HiddenLayers = [])));
        Assert.Equal("Pretraining", none.ParamName);
        Assert.Contains("at least one dense hidden layer", none.Message);

        var maxout = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(With(o => o.Layers = [DeepNetLayer.Dense(8), DeepNetLayer.Maxout(4, 2)])));
        Assert.Equal("Pretraining", maxout.ParamName);
        Assert.Contains("Maxout(4, 2)", maxout.Message);

        var invalid = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(With(o => o.Pretraining!.Epochs = 0)));
        Assert.Equal("Pretraining", invalid.ParamName);
        Assert.Contains("Pretraining.Epochs", invalid.Message);
    }
}
