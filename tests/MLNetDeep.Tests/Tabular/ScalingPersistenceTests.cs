using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Layers;

namespace MLNetDeep.Tests.Tabular;

/// <summary>
/// A DeepNet regression with both scaling layers (robust input scaling first, the label's mean and deviation last)
/// saves, loads in a new process with the same bits, resumes from its checkpoint to the same model, and continues
/// (warm start) with its scaling kept.
/// </summary>
public sealed class ScalingPersistenceTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-scaling-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static DeepNetOptions Options(string? checkpoint = null, CancellationToken token = default, IProgress<Engine.Training.EpochReport>? progress = null) => new()
    {
        HiddenLayers = [16, 8], Dropout = 0.1f, Epochs = 4, BatchSize = 32, ValidationFraction = 0.2f, EarlyStoppingPatience = 10, Seed = 5,
        CheckpointPath = checkpoint, CancellationToken = token, Progress = progress,
    };

    private IDataView Train => ScaledRows.View(_ml, ScaledRows.Rescaled(ScaledRows.Linear(400, seed: 1), [1000f, 0.001f, 7.5f, 0.2f], [10_000f, -0.005f, 250f, 0.5f]));

    [Fact]
    public void TheScalingLayersSaveAndLoadInANewProcessWithTheSameBits()
    {
        var model = _ml.Regression.Trainers.DeepNet(Options()).Fit(Train);
        var layers = model.Model.GetNetwork()!.Layers;
        Assert.IsType<FeatureScaling>(layers[0]);
        var output = Assert.IsType<FeatureScaling>(layers[^1]);
        Assert.InRange(-output.Centre[0] * output.Scale[0], 49_000f, 51_000f); // the label's mean
        string path = Path.Combine(_directory, "scaled.zip");
        _ml.Model.Save(model, Train.Schema, path);

        float[][] features = Train.GetColumn<float[]>("Features").Take(50).ToArray();
        string[] lines = ModelRunnerProcess.Predict(path, features, _directory);
        float[] scores = model.Transform(Train).GetColumn<float>("Score").Take(50).ToArray();
        int scoreAt = Array.IndexOf(lines[0].Split('\t'), "Score");
        Assert.Equal(features.Length + 1, lines.Length);
        for (int i = 0; i < features.Length; i++)
            Assert.Equal(BitConverter.SingleToUInt32Bits(scores[i]), uint.Parse(lines[i + 1].Split('\t')[scoreAt], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.InRange(scores.Average(), 40_000f, 60_000f);
    }

    private sealed class OnTrainingThread(Action<Engine.Training.EpochReport> report) : IProgress<Engine.Training.EpochReport>
    {
        public void Report(Engine.Training.EpochReport value) => report(value);
    }

    [Fact]
    public void AFitCutShortResumesFromItsCheckpointToTheSameBits()
    {
        var uninterrupted = _ml.Regression.Trainers.DeepNet(Options()).Fit(Train);
        string checkpoint = Path.Combine(_directory, "scaled.ckpt");
        using var cts = new CancellationTokenSource();
        var cutShort = _ml.Regression.Trainers.DeepNet(Options(checkpoint, cts.Token, new OnTrainingThread(r => { if (r.Epoch == 2) cts.Cancel(); })));
        Assert.ThrowsAny<OperationCanceledException>(() => cutShort.Fit(Train));

        var resumedTrainer = _ml.Regression.Trainers.DeepNet(Options(checkpoint));
        var resumed = resumedTrainer.Fit(Train);

        Assert.Equal(2, resumedTrainer.LastTrainingResult!.ResumedAfterEpoch);
        Assert.Equal(uninterrupted.Model.Payload.ToArray(), resumed.Model.Payload.ToArray());
    }

    [Fact]
    public void AWarmStartKeepsTheScalingOfTheModelItContinues()
    {
        var first = _ml.Regression.Trainers.DeepNet(Options()).Fit(Train).Model;
        var before = first.GetNetwork()!.Layers;
        // Other rows, of another mean: the continued model keeps the first one's input and label scaling.
        var other = ScaledRows.View(_ml, ScaledRows.Rescaled(ScaledRows.Linear(200, seed: 9).Select(r => { r.Label += 5_000; return r; }),
            [1000f, 0.001f, 7.5f, 0.2f], [10_000f, -0.005f, 250f, 0.5f]));
        var continued = _ml.Regression.Trainers.DeepNet(Options()).Fit(other, first).Model.GetNetwork()!.Layers;
        foreach (int i in new[] { 0, before.Count - 1 })
        {
            Assert.Equal(((FeatureScaling)before[i]).Centre, ((FeatureScaling)continued[i]).Centre);
            Assert.Equal(((FeatureScaling)before[i]).Scale, ((FeatureScaling)continued[i]).Scale);
        }

        // A new output head (ReinitializeOutputLayer) takes the new rows' label statistics, and keeps the input scaling.
        var options = Options();
        options.ReinitializeOutputLayer = true;
        var retargeted = _ml.Regression.Trainers.DeepNet(options).Fit(other, first).Model.GetNetwork()!.Layers;
        Assert.Equal(((FeatureScaling)before[0]).Centre, ((FeatureScaling)retargeted[0]).Centre);
        var head = (FeatureScaling)retargeted[^1];
        Assert.InRange(-head.Centre[0] * head.Scale[0], 54_000f, 56_000f);
    }
}
