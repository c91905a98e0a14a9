using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Tests.DeepNet;

/// <summary>
/// A DeepNet CNN with batch and layer normalisation, same padding, global average pooling and the smooth activations
/// saves with ml.Model.Save and loads in a new process with the same bits, and a Fit cut short resumes from its
/// checkpoint to the same model.
/// </summary>
public sealed class ModernLayerPersistenceTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-modern-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static DeepNetLayer[] Layers() =>
    [
        DeepNetLayer.Conv2D(6, 3, ConvPadding.Same, activation: ActivationKind.Identity), DeepNetLayer.BatchNorm(), DeepNetLayer.Activation(ActivationKind.GELU),
        DeepNetLayer.MaxPool(2),
        DeepNetLayer.Conv2D(8, 3, ConvPadding.Same, activation: ActivationKind.SiLU), DeepNetLayer.LayerNorm(), DeepNetLayer.GlobalAveragePool(),
        DeepNetLayer.Dense(16, ActivationKind.SELU), DeepNetLayer.BatchNorm(momentum: 0.2f), DeepNetLayer.Dense(12, ActivationKind.Softplus),
    ];

    /// <summary>IProgress that reports on the training thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class OnTrainingThread(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }

    [Fact]
    public void AModernCnnLoadsInANewProcessAndPredictsTheSameBits()
    {
        var (train, test) = Digits.Split(_ml, 600, 40);
        var keyed = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(train);
        var model = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { Layers = Layers(), Epochs = 2, BatchSize = 32, Seed = 3 }).Fit(keyed);
        string path = Path.Combine(_directory, "modern.zip");
        _ml.Model.Save(model, keyed.Schema, path);

        float[][] features = test.GetColumn<float[]>("Features").ToArray();
        string[] lines = ModelRunnerProcess.Predict(path, features, _directory);
        float[][] scores = model.Transform(test).GetColumn<float[]>("Score").ToArray();
        int scoreAt = Array.IndexOf(lines[0].Split('\t'), "Score");
        Assert.Equal(features.Length + 1, lines.Length);
        for (int i = 0; i < features.Length; i++)
        {
            uint[] actual = lines[i + 1].Split('\t')[scoreAt].Split(' ').Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(scores[i].Select(BitConverter.SingleToUInt32Bits), actual);
        }
    }

    private static DeepNetOptions Options(string? checkpoint, CancellationToken token = default, IProgress<EpochReport>? progress = null) => new()
    {
        Layers = Layers(), Epochs = 4, BatchSize = 32, ValidationFraction = 0.2f, EarlyStoppingPatience = 10, Seed = 9, LearningRate = 0.005f,
        CheckpointPath = checkpoint, CancellationToken = token, Progress = progress,
    };

    [Fact]
    public void AModernCnnCutShortAfterTwoEpochsResumesFromItsCheckpointToTheSameModel()
    {
        var (train, test) = Digits.Split(_ml, 300, 40);
        var keyed = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var (trainKeyed, testKeyed) = (keyed.Transform(train), keyed.Transform(test));
        var uninterrupted = _ml.MulticlassClassification.Trainers.DeepNet(Options(checkpoint: null)).Fit(trainKeyed);

        string checkpoint = Path.Combine(_directory, "modern.ckpt");
        using var cts = new CancellationTokenSource();
        var cutShort = _ml.MulticlassClassification.Trainers.DeepNet(Options(checkpoint, cts.Token, new OnTrainingThread(r => { if (r.Epoch == 2) cts.Cancel(); })));
        Assert.ThrowsAny<OperationCanceledException>(() => cutShort.Fit(trainKeyed));

        var resumedTrainer = _ml.MulticlassClassification.Trainers.DeepNet(Options(checkpoint));
        var resumed = resumedTrainer.Fit(trainKeyed);

        Assert.Equal(2, resumedTrainer.LastTrainingResult!.ResumedAfterEpoch);
        Assert.Equal(uninterrupted.Model.Payload.ToArray(), resumed.Model.Payload.ToArray());
        Assert.Equal(
            uninterrupted.Transform(testKeyed).GetColumn<float[]>("Score").SelectMany(s => s).Select(BitConverter.SingleToUInt32Bits),
            resumed.Transform(testKeyed).GetColumn<float[]>("Score").SelectMany(s => s).Select(BitConverter.SingleToUInt32Bits));
    }
}
