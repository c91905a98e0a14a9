using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Training;
using MLNetDeep.Tests.DeepNet;

namespace MLNetDeep.Tests.Reliability;

/// <summary>Cancelling a DeepNet Fit stops it within a second; a checkpoint lets a cut-short Fit finish where it would have.</summary>
public sealed class InterruptionTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-interruption-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>IProgress that reports on the training thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class OnTrainingThread(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }

    [Fact]
    public void CancellingDuringAnEpochReturnsWithinOneSecond()
    {
        var data = _ml.Data.Cache(Synthetic.Regression(_ml, 20_000, seed: 3));
        using var cts = new CancellationTokenSource();
        using var firstEpochDone = new ManualResetEventSlim();
        var epochTimes = new List<TimeSpan>();
        var options = new DeepNetOptions
        {
            HiddenLayers = [512, 512], Epochs = 1000, BatchSize = 32, CancellationToken = cts.Token,
            Progress = new OnTrainingThread(r => { epochTimes.Add(r.Elapsed); firstEpochDone.Set(); }),
        };
        var fit = Task.Run(() => _ml.Regression.Trainers.DeepNet(options).Fit(data));

        Assert.True(firstEpochDone.Wait(TimeSpan.FromMinutes(2)), "The first epoch did not finish.");
        Thread.Sleep(200); // well inside the second epoch
        var sinceCancel = Stopwatch.StartNew();
        cts.Cancel();
        var e = Assert.ThrowsAny<OperationCanceledException>(() => fit.GetAwaiter().GetResult());
        sinceCancel.Stop();

        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.True(epochTimes[0] > TimeSpan.FromMilliseconds(300), $"An epoch took only {epochTimes[0]}: the test needs longer ones.");
        Assert.True(sinceCancel.Elapsed < TimeSpan.FromSeconds(1), $"Fit returned {sinceCancel.Elapsed.TotalMilliseconds:F0} ms after the cancellation.");
    }

    private DeepNetOptions Options(string? checkpoint, CancellationToken token = default, IProgress<EpochReport>? progress = null) => new()
    {
        HiddenLayers = [32, 16], Dropout = 0.2f, Optimizer = Engine.Optimizers.OptimizerKind.Adam, LearningRate = 0.01f,
        Epochs = 4, BatchSize = 32, ValidationFraction = 0.2f, EarlyStoppingPatience = 10, Seed = 9,
        CheckpointPath = checkpoint, CancellationToken = token, Progress = progress,
    };

    [Fact]
    public void AFitCutShortAfterTwoEpochsResumesFromItsCheckpointToTheSameModel()
    {
        var (train, test) = (Synthetic.Regression(_ml, 600, seed: 1), Synthetic.Regression(_ml, 100, seed: 2));
        var uninterrupted = _ml.Regression.Trainers.DeepNet(Options(checkpoint: null)).Fit(train);

        string checkpoint = Path.Combine(_directory, "deepnet.ckpt");
        using var cts = new CancellationTokenSource();
        var cutShort = _ml.Regression.Trainers.DeepNet(Options(checkpoint, cts.Token, new OnTrainingThread(r => { if (r.Epoch == 2) cts.Cancel(); })));
        Assert.ThrowsAny<OperationCanceledException>(() => cutShort.Fit(train));

        var resumedTrainer = _ml.Regression.Trainers.DeepNet(Options(checkpoint));
        var resumed = resumedTrainer.Fit(train);

        Assert.Equal(2, resumedTrainer.LastTrainingResult!.ResumedAfterEpoch);
        Assert.Equal(4, resumedTrainer.LastTrainingResult.History.Count);
        Assert.Equal(uninterrupted.Model.Payload.ToArray(), resumed.Model.Payload.ToArray());
        Assert.Equal(
            uninterrupted.Transform(test).GetColumn<float>("Score").Select(BitConverter.SingleToUInt32Bits),
            resumed.Transform(test).GetColumn<float>("Score").Select(BitConverter.SingleToUInt32Bits));
    }
}
