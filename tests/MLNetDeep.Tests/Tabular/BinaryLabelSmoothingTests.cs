using Microsoft.ML;
using MLNetDeep.Engine.Losses;

namespace MLNetDeep.Tests.Tabular;

/// <summary>
/// Label smoothing of a binary DeepNet, with the recipe's other new part, periodic embeddings of the features: the trainer
/// takes them, the model keeps the smoothing with its loss, saves and loads in a new process with the same bits, resumes
/// from its checkpoint to the same model, and refuses a checkpoint of another smoothing.
/// </summary>
public sealed class BinaryLabelSmoothingTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-binary-smoothing-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static DeepNetOptions Options(float smoothing, string? checkpoint = null, CancellationToken token = default, IProgress<Engine.Training.EpochReport>? progress = null) => new()
    {
        LabelColumnName = nameof(ScaledRows.Row.Flag), HiddenLayers = [16, 8], Dropout = 0.1f, Epochs = 4, BatchSize = 32, Seed = 5,
        LabelSmoothing = smoothing, PeriodicEmbeddingSigma = 0.1f, CheckpointPath = checkpoint, CancellationToken = token, Progress = progress,
    };

    private IDataView Train => ScaledRows.View(_ml, ScaledRows.Binary(300, seed: 3));

    [Fact]
    public void TheModelKeepsItsSmoothingAndLoadsInANewProcessWithTheSameBits()
    {
        var model = _ml.BinaryClassification.Trainers.DeepNet(Options(0.1f)).Fit(Train);
        Assert.IsType<Engine.Layers.PeriodicEmbedding>(model.Model.GetNetwork()!.Layers[1]);
        var loss = Assert.IsType<SigmoidBinaryCrossEntropy>(model.Model.GetNetwork()!.Loss);
        Assert.Equal(0.1f, loss.LabelSmoothing);
        string path = Path.Combine(_directory, "smoothed.zip");
        _ml.Model.Save(model, Train.Schema, path);
        var loaded = Assert.IsType<SigmoidBinaryCrossEntropy>(((NetworkPredictionTransformer)_ml.Model.Load(path, out _)).Model.GetNetwork()!.Loss);
        Assert.Equal(0.1f, loaded.LabelSmoothing);
        NewProcessScores.AssertSameBits(model, Train, path, _directory);
    }

    [Fact]
    public void SmoothingRaisesTheReportedLossAboveTheEntropyOfItsTargets()
    {
        // Separable rows (the sign of a linear function without noise), on which the plain loss goes well below the floor.
        var separable = ScaledRows.View(_ml, ScaledRows.Linear(300, seed: 3).Select(r => { r.Flag = r.Label > 50_000f; return r; }));
        DeepNetOptions Long(float smoothing)
        {
            var options = Options(smoothing);
            options.Epochs = 40;
            options.LearningRate = 0.01f;
            return options;
        }
        var plain = _ml.BinaryClassification.Trainers.DeepNet(Long(0f));
        var smoothed = _ml.BinaryClassification.Trainers.DeepNet(Long(0.2f));
        plain.Fit(separable);
        smoothed.Fit(separable);
        // The smoothed targets are 0.9 and 0.1: no prediction brings the loss below their entropy, 0.3251 nats.
        double floor = -(0.9 * Math.Log(0.9) + 0.1 * Math.Log(0.1));
        float smoothedLoss = smoothed.LastTrainingResult!.History[^1].TrainingLoss, plainLoss = plain.LastTrainingResult!.History[^1].TrainingLoss;
        Assert.True(smoothedLoss > floor, $"smoothed loss {smoothedLoss}, floor {floor}");
        Assert.True(plainLoss < floor, $"plain loss {plainLoss}, floor {floor}");
    }

    private sealed class OnTrainingThread(Action<Engine.Training.EpochReport> report) : IProgress<Engine.Training.EpochReport>
    {
        public void Report(Engine.Training.EpochReport value) => report(value);
    }

    [Fact]
    public void AFitCutShortResumesFromItsCheckpointToTheSameBitsAndAnotherSmoothingIsRefused()
    {
        var uninterrupted = _ml.BinaryClassification.Trainers.DeepNet(Options(0.1f)).Fit(Train);
        string checkpoint = Path.Combine(_directory, "smoothed.ckpt");
        using var cts = new CancellationTokenSource();
        var cutShort = _ml.BinaryClassification.Trainers.DeepNet(Options(0.1f, checkpoint, cts.Token, new OnTrainingThread(r => { if (r.Epoch == 2) cts.Cancel(); })));
        Assert.ThrowsAny<OperationCanceledException>(() => cutShort.Fit(Train));

        var other = Assert.Throws<InvalidOperationException>(() => _ml.BinaryClassification.Trainers.DeepNet(Options(0.2f, checkpoint)).Fit(Train));
        Assert.Contains("SigmoidBinaryCrossEntropy(smoothing 0.2)", other.Message);

        var resumedTrainer = _ml.BinaryClassification.Trainers.DeepNet(Options(0.1f, checkpoint));
        var resumed = resumedTrainer.Fit(Train);
        Assert.Equal(2, resumedTrainer.LastTrainingResult!.ResumedAfterEpoch);
        Assert.Equal(uninterrupted.Model.Payload.ToArray(), resumed.Model.Payload.ToArray());
    }

    [Fact]
    public void AModelTrainedWithSmoothingContinuesWithout()
    {
        var first = _ml.BinaryClassification.Trainers.DeepNet(Options(0.1f)).Fit(Train).Model;
        var continued = _ml.BinaryClassification.Trainers.DeepNet(Options(0f)).Fit(Train, first).Model.GetNetwork()!;
        Assert.Equal(0f, Assert.IsType<SigmoidBinaryCrossEntropy>(continued.Loss).LabelSmoothing);
    }

    [Fact]
    public void ARegressionStillRefusesSmoothing() =>
        Assert.Equal(nameof(DeepNetOptions.LabelSmoothing), Assert.Throws<ArgumentOutOfRangeException>(
            () => _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1, LabelSmoothing = 0.1f }).Fit(ScaledRows.View(_ml, ScaledRows.Linear(20, seed: 1)))).ParamName);
}
