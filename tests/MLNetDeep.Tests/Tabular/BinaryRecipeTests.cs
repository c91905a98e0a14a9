using Microsoft.ML;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Tests.Tabular;

/// <summary>
/// The recipe's binary settings: a binary task holds a fifth of its rows out and keeps the weights of its best epoch, with
/// dropout 0.3 — the same bits as those options set by hand — unless the options say otherwise; a validation set given to
/// Fit takes the held-out rows' place; a stream and a tiny table hold nothing out; the other tasks are left as they were.
/// The run resumes from its checkpoint and trains on one thread or two to the same bits.
/// </summary>
public sealed class BinaryRecipeTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-binary-recipe-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private IDataView Binary => ScaledRows.View(_ml, ScaledRows.Binary(320, seed: 4));

    private static DeepNetOptions Recipe(Action<DeepNetOptions>? change = null)
    {
        var options = DeepNetOptions.ForTabular();
        options.LabelColumnName = nameof(ScaledRows.Row.Flag);
        options.HiddenLayers = [8, 4];
        options.Epochs = 12;
        change?.Invoke(options);
        return options;
    }

    /// <summary>The recipe's binary settings written out: what <see cref="Recipe"/> must train to, bit for bit.</summary>
    private static DeepNetOptions ByHand(Action<DeepNetOptions>? change = null) => Recipe(o =>
    {
        o.Dropout = 0.3f;
        o.ValidationFraction = 0.2f;
        o.EarlyStoppingPatience = 12;
        change?.Invoke(o);
    });

    private static float[] Rates(NetworkPredictionTransformer model) =>
        [.. model.Model.GetNetwork()!.AllLayers.OfType<Dropout>().Select(d => d.Rate)];

    /// <summary>The epoch (1-based) of the lowest validation loss the history reports, the first of equals.</summary>
    private static int LowestValidationEpoch(TrainingResult result) =>
        result.History.OrderBy(r => r.ValidationLoss!.Value).ThenBy(r => r.Epoch).First().Epoch;

    [Fact]
    public void ABinaryTaskHoldsAFifthOutAndKeepsItsBestEpochAsTheSameOptionsSetByHand()
    {
        var trainer = _ml.BinaryClassification.Trainers.DeepNet(Recipe());
        var model = trainer.Fit(Binary);
        var result = trainer.LastTrainingResult!;
        Assert.Equal(12, result.History.Count);
        Assert.All(result.History, r => Assert.NotNull(r.ValidationLoss));
        Assert.Equal(LowestValidationEpoch(result), result.BestEpoch);
        Assert.Equal([0.3f, 0.3f], Rates(model));

        var byHand = _ml.BinaryClassification.Trainers.DeepNet(ByHand()).Fit(Binary);
        Assert.Equal(byHand.Model.Payload.ToArray(), model.Model.Payload.ToArray());
    }

    [Fact]
    public void WhatTheOptionsSetThemselvesIsKept()
    {
        var trainer = _ml.BinaryClassification.Trainers.DeepNet(Recipe(o => { o.ValidationFraction = 0.1f; o.Dropout = 0.25f; }));
        var model = trainer.Fit(Binary);
        var result = trainer.LastTrainingResult!;
        Assert.All(result.History, r => Assert.NotNull(r.ValidationLoss));
        Assert.Equal(12, result.BestEpoch); // no early stopping asked: the last epoch's weights
        Assert.Equal([0.25f, 0.25f], Rates(model));
    }

    [Fact]
    public void AValidationSetGivenToFitTakesTheHeldOutRowsPlace()
    {
        var validation = ScaledRows.View(_ml, ScaledRows.Binary(60, seed: 9));
        var trainer = _ml.BinaryClassification.Trainers.DeepNet(Recipe());
        var model = trainer.Fit(Binary, validation);
        Assert.Equal(LowestValidationEpoch(trainer.LastTrainingResult!), trainer.LastTrainingResult!.BestEpoch);
        var byHand = _ml.BinaryClassification.Trainers.DeepNet(ByHand(o => o.ValidationFraction = 0)).Fit(Binary, validation);
        Assert.Equal(byHand.Model.Payload.ToArray(), model.Model.Payload.ToArray());
    }

    [Fact]
    public void AStreamATinyTableAndARegressionHoldNothingOut()
    {
        var streamed = _ml.BinaryClassification.Trainers.DeepNet(Recipe(o => { o.Streaming = true; o.Epochs = 2; }));
        streamed.Fit(Binary);
        Assert.All(streamed.LastTrainingResult!.History, r => Assert.Null(r.ValidationLoss));

        var tiny = _ml.BinaryClassification.Trainers.DeepNet(Recipe(o => o.Epochs = 2));
        tiny.Fit(ScaledRows.View(_ml, ScaledRows.Binary(9, seed: 4)));
        Assert.All(tiny.LastTrainingResult!.History, r => Assert.Null(r.ValidationLoss));

        var regression = _ml.Regression.Trainers.DeepNet(Recipe(o => { o.LabelColumnName = "Label"; o.Epochs = 2; }));
        var model = regression.Fit(ScaledRows.View(_ml, ScaledRows.Linear(200, seed: 4)));
        Assert.All(regression.LastTrainingResult!.History, r => Assert.Null(r.ValidationLoss));
        Assert.Equal([0.2f, 0.2f], Rates(model));
    }

    [Fact]
    public void ACutShortRunResumesFromItsCheckpointToTheSameBits()
    {
        var uninterrupted = _ml.BinaryClassification.Trainers.DeepNet(Recipe()).Fit(Binary);
        string checkpoint = Path.Combine(_directory, "binary.ckpt");
        using var cts = new CancellationTokenSource();
        var cutShort = _ml.BinaryClassification.Trainers.DeepNet(Recipe(o =>
        {
            o.CheckpointPath = checkpoint;
            o.CancellationToken = cts.Token;
            o.Progress = new SyncProgress<EpochReport>(r => { if (r.Epoch == 5) cts.Cancel(); });
        }));
        Assert.ThrowsAny<OperationCanceledException>(() => cutShort.Fit(Binary));

        var resumedTrainer = _ml.BinaryClassification.Trainers.DeepNet(Recipe(o => o.CheckpointPath = checkpoint));
        var resumed = resumedTrainer.Fit(Binary);
        Assert.Equal(5, resumedTrainer.LastTrainingResult!.ResumedAfterEpoch);
        Assert.Equal(uninterrupted.Model.Payload.ToArray(), resumed.Model.Payload.ToArray());
    }

    [Fact]
    public void OneThreadAndTwoTrainTheSameBits()
    {
        var one = _ml.BinaryClassification.Trainers.DeepNet(Recipe(o => o.NumberOfThreads = 1)).Fit(Binary);
        var two = _ml.BinaryClassification.Trainers.DeepNet(Recipe(o => o.NumberOfThreads = 2)).Fit(Binary);
        Assert.Equal(one.Model.Payload.ToArray(), two.Model.Payload.ToArray());
    }
}
