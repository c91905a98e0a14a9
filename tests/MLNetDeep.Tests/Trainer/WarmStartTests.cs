using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Tests.Trainer;

public sealed class WarmStartTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-warm-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static DeepNetOptions FiveEpochs() => new() { HiddenLayers = [16], Epochs = 5, LearningRate = 0.005f, BatchSize = 32, Seed = 6 };

    [Fact]
    public void FiveMoreEpochsAreNoWorseAndTheModelSavesAndLoadsInANewProcess()
    {
        var train = ToyData.Regression(_ml, 400, 1);
        var trainer = _ml.Regression.Trainers.DeepNet(FiveEpochs());
        var first = trainer.Fit(train);
        double firstLoss = _ml.Regression.Evaluate(first.Transform(train)).MeanSquaredError;
        var second = trainer.Fit(train, first.Model);
        double secondLoss = _ml.Regression.Evaluate(second.Transform(train)).MeanSquaredError;

        Assert.True(secondLoss <= firstLoss, $"after 5 + 5 epochs {secondLoss}, after 5 {firstLoss}");
        Assert.Equal(10, second.Model.TrainingHistory.Count);
        // The continued run started from the first run's weights: its first epoch is already as good as the first run's last.
        Assert.True(second.Model.TrainingHistory[5].TrainingLoss < first.Model.TrainingHistory[0].TrainingLoss);

        string path = Path.Combine(_directory, "continued.zip");
        _ml.Model.Save(second, train.Schema, path);
        float[][] features = train.GetColumn<float[]>("Features").Take(50).ToArray();
        string[] lines = ModelRunnerProcess.Predict(path, features, _directory);
        float[] expected = second.Transform(train).GetColumn<float>("Score").Take(50).ToArray();
        int scoreAt = Array.IndexOf(lines[0].Split('\t'), "Score");
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(BitConverter.SingleToUInt32Bits(expected[i]), uint.Parse(lines[i + 1].Split('\t')[scoreAt], NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        // And a model loaded from the file continues too.
        ITransformer loaded = _ml.Model.Load(path, out _);
        var loadedModel = (loaded as NetworkPredictionTransformer ?? ((IEnumerable<ITransformer>)loaded).OfType<NetworkPredictionTransformer>().Single()).Model;
        Assert.Equal(second.Model.Payload.ToArray(), loadedModel.Payload.ToArray());
        Assert.True(_ml.Regression.Evaluate(trainer.Fit(train, loadedModel).Transform(train)).MeanSquaredError <= firstLoss);
    }

    [Fact]
    public void AWarmStartAndAStreamedRunSayWhatTheyDoInTheMlNetLog()
    {
        var log = new List<string>();
        var ml = new MLContext(seed: 1);
        ml.Log += (_, e) => { lock (log) log.Add(e.Message); };
        var train = ToyData.Regression(ml, 100, 1);
        var first = ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 2 }).Fit(train);
        ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1 }).Fit(train, first.Model);
        ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1, Streaming = true, ShufflePoolSize = 50 }).Fit(train);
        lock (log)
        {
            Assert.Contains(log, m => m.Contains("continuing a model trained 2 epochs", StringComparison.Ordinal));
            Assert.Contains(log, m => m.Contains("streaming the training rows through a shuffle pool of 50", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void AnotherArchitectureIsAClearError()
    {
        var train = ToyData.Regression(_ml, 100, 1);
        var model = _ml.Regression.Trainers.DeepNet(FiveEpochs()).Fit(train).Model;

        var wider = _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [32], Epochs = 1 });
        var e = Assert.Throws<ArgumentException>(() => wider.Fit(train, model));
        Assert.Equal("previousModel", e.ParamName);
        Assert.Contains("layer 2 is Dense(16)", e.Message); // after the input scaling
        Assert.Contains("Dense(32)", e.Message);

        var deeper = _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [16, 16], Epochs = 1 });
        Assert.Contains("5 layers", Assert.Throws<ArgumentException>(() => deeper.Fit(train, model)).Message); // with both scaling layers

        var binary = _ml.BinaryClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [16], Epochs = 1, LabelColumnName = "Flag" });
        var flagged = _ml.Transforms.CustomMapping<LabelIn, FlagOut>((row, o) => o.Flag = row.Label > 0, null).Fit(train).Transform(train);
        Assert.Contains("MeanSquaredError", Assert.Throws<ArgumentException>(() => binary.Fit(flagged, model)).Message);
    }

    private sealed class LabelIn
    {
        public float Label { get; set; }
    }

    private sealed class FlagOut
    {
        public bool Flag { get; set; }
    }

    [Fact]
    public void AnEngineNetworkBecomesADeepNetModelAndFineTunesWithANewOutputLayer()
    {
        // Pre-trained with the engine alone on a five-class task, saved and loaded as a file.
        var pretrained = new Network(TensorShape.Vector(ToyData.Features), [new Dense(8), new Relu(), new Dense(5)], new SoftmaxCrossEntropy(), 9);
        string file = Path.Combine(_directory, "pretrained.mlnd");
        pretrained.Save(file);
        var model = NetworkModelParameters.FromNetwork(Network.Load(file));
        float[] hidden = pretrained.Layers[0].Parameters[0].Value;

        var blobs = ToyData.Blobs(_ml, 150, 1);
        var sameOutput = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [8], Epochs = 1 });
        var refused = Assert.Throws<ArgumentException>(() => sameOutput.Fit(blobs, model));
        Assert.Contains("Dense(5)", refused.Message);
        Assert.Contains("ReinitializeOutputLayer", refused.Message);

        // A new output layer for three classes; the hidden layer starts from the pre-trained weights (a tiny rate keeps them there).
        var fineTuning = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions
        {
            HiddenLayers = [8], Epochs = 1, LearningRate = 1e-7f, ReinitializeOutputLayer = true,
        });
        var tuned = fineTuning.Fit(blobs, model).Model;
        float[] tunedHidden = tuned.GetNetwork()!.Layers[0].Parameters[0].Value;
        Assert.Equal(3, tuned.OutputSize);
        Assert.All(hidden.Zip(tunedHidden), p => Assert.Equal(p.First, p.Second, 1e-4f));
        var fresh = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [8], Epochs = 1, LearningRate = 1e-7f, InputScaling = InputScaling.Off }).Fit(blobs).Model;
        Assert.Contains(hidden.Zip(fresh.GetNetwork()!.Layers[0].Parameters[0].Value), p => Math.Abs(p.First - p.Second) > 1e-2f);
    }
}
