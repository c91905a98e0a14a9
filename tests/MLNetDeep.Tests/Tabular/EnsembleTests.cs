using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Training;
using MLNetDeep.Tests.DeepNet;
using MLNetDeep.Tests.Onnx;

namespace MLNetDeep.Tests.Tabular;

/// <summary>
/// DeepNet's EnsembleSize: the model predicts the mean of its members, each the network a single fit with the member's
/// seed gives; it saves and loads in a new process with the same bits, resumes from a cut inside its second member to
/// the same bits, converts to ONNX, and refuses what it cannot do.
/// </summary>
public sealed class EnsembleTests : IDisposable
{
    private const int Seed = 5;

    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-ensemble-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static DeepNetOptions Options(int members, int seed = Seed, string? checkpoint = null, CancellationToken token = default, IProgress<EpochReport>? progress = null) => new()
    {
        HiddenLayers = [16, 8], Dropout = 0.1f, Epochs = 4, BatchSize = 32, Seed = seed, EnsembleSize = members,
        CheckpointPath = checkpoint, CancellationToken = token, Progress = progress,
    };

    private IDataView Train => ScaledRows.View(_ml, ScaledRows.Rescaled(ScaledRows.Linear(300, seed: 1), [1000f, 0.001f, 7.5f, 0.2f], [10_000f, -0.005f, 250f, 0.5f]));

    [Fact]
    public void TheEnsemblePredictsTheMeanOfItsMembersEachTrainedAlone()
    {
        var ensemble = _ml.Regression.Trainers.DeepNet(Options(3)).Fit(Train);
        var layers = ensemble.Model.GetNetwork()!.Layers;
        Assert.IsType<FeatureScaling>(layers[0]);
        Assert.Equal(3, Assert.IsType<Ensemble>(layers[1]).Members.Count);
        Assert.IsType<FeatureScaling>(layers[2]);

        // The documented seeds of the members: Seed, Seed + 7919, Seed + 2 x 7919; each alone is a single fit with that seed.
        float[][] members = [.. Enumerable.Range(0, 3).Select(k =>
            _ml.Regression.Trainers.DeepNet(Options(1, Seed + 7919 * k)).Fit(Train).Transform(Train).GetColumn<float>("Score").ToArray())];
        float[] scores = ensemble.Transform(Train).GetColumn<float>("Score").ToArray();
        for (int i = 0; i < scores.Length; i++)
        {
            double mean = (members[0][i] + (double)members[1][i] + members[2][i]) / 3;
            // Labels near 50,000: float rounding of the label's units is about 0.004.
            Assert.True(Math.Abs(scores[i] - mean) <= 0.05, $"Row {i}: the ensemble gives {scores[i]}, the mean of its members {mean}.");
        }
        // The members differ (otherwise the test above would prove nothing).
        Assert.Contains(Enumerable.Range(0, scores.Length), i => Math.Abs(members[0][i] - members[1][i]) > 1f);
    }

    [Fact]
    public void TheEnsembleSavesAndLoadsInANewProcessWithTheSameBits()
    {
        var model = _ml.Regression.Trainers.DeepNet(Options(2)).Fit(Train);
        string path = Path.Combine(_directory, "ensemble.zip");
        _ml.Model.Save(model, Train.Schema, path);

        float[][] features = Train.GetColumn<float[]>("Features").Take(40).ToArray();
        string[] lines = ModelRunnerProcess.Predict(path, features, _directory);
        float[] scores = model.Transform(Train).GetColumn<float>("Score").Take(40).ToArray();
        int scoreAt = Array.IndexOf(lines[0].Split('\t'), "Score");
        Assert.Equal(features.Length + 1, lines.Length);
        for (int i = 0; i < features.Length; i++)
            Assert.Equal(BitConverter.SingleToUInt32Bits(scores[i]), uint.Parse(lines[i + 1].Split('\t')[scoreAt], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    private sealed class OnTrainingThread(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }

    [Fact]
    public void AFitCutShortInItsSecondMemberResumesToTheSameBits()
    {
        var uninterrupted = _ml.Regression.Trainers.DeepNet(Options(3)).Fit(Train);
        string checkpoint = Path.Combine(_directory, "ensemble.ckpt");
        using var cts = new CancellationTokenSource();
        int reports = 0;
        // Four epochs of the first member, then two of the second.
        var cutShort = _ml.Regression.Trainers.DeepNet(Options(3, checkpoint: checkpoint, token: cts.Token, progress: new OnTrainingThread(_ => { if (++reports == 6) cts.Cancel(); })));
        Assert.ThrowsAny<OperationCanceledException>(() => cutShort.Fit(Train));
        Assert.True(File.Exists(checkpoint + ".member2"));
        Assert.False(File.Exists(checkpoint + ".member3"));

        var resumed = _ml.Regression.Trainers.DeepNet(Options(3, checkpoint: checkpoint)).Fit(Train);

        Assert.Equal(uninterrupted.Model.Payload.ToArray(), resumed.Model.Payload.ToArray());
    }

    [Fact]
    public void AnEnsembleRegressionConvertsThroughConvertToOnnxAndScoresTheSame()
    {
        var data = Synthetic.Regression(_ml, 300, seed: 2);
        var model = _ml.Regression.Trainers.DeepNet(Options(3)).Fit(data);
        var expected = model.Transform(data);

        var actual = OnnxPipelines.Score(_ml, OnnxPipelines.Convert(_ml, model, data), data);

        var values = expected.GetColumn<float>("Score").Select(v => new[] { v }).ToArray();
        OnnxPipelines.AssertClose(values, OnnxPipelines.Vectors(actual, "Score"), 1e-5f, "Score");
    }

    [Fact]
    public void AnEnsembleSizeOutOfRangeOrAWarmStartOfAnEnsembleIsRefused()
    {
        foreach (int size in new[] { 0, 65 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(Options(size)));
            Assert.Equal(nameof(DeepNetOptions.EnsembleSize), e.ParamName);
        }
        var first = _ml.Regression.Trainers.DeepNet(Options(1)).Fit(Train).Model;
        var warm = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(Options(2)).Fit(Train, first));
        Assert.Equal(nameof(DeepNetOptions.EnsembleSize), warm.ParamName);
    }
}
