using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests.Trainer;

public sealed class StreamingTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static DeepNetOptions Streamed(int pool = 64) => new()
    {
        HiddenLayers = [16], Epochs = 4, LearningRate = 0.01f, BatchSize = 16, Seed = 8, Streaming = true, ShufflePoolSize = pool,
    };

    private float[] Scores(ITransformer model, IDataView data) => model.Transform(data).GetColumn<float>("Score").ToArray();

    [Fact]
    public void AStreamedRunReadsTheViewAfreshEachEpochAndIsTheSameRunToRun()
    {
        var rows = ToyData.Regression(_ml, 500, 1);
        var counted = new CountingView(rows);
        var first = _ml.Regression.Trainers.DeepNet(Streamed()).Fit(counted);
        Assert.Equal(5, counted.Passes); // 4 epochs, and one pass for the input scaling's statistics
        var second = _ml.Regression.Trainers.DeepNet(Streamed()).Fit(rows);
        Assert.Equal(Scores(first, rows), Scores(second, rows));
        Assert.Equal(first.Model.Payload.ToArray(), second.Model.Payload.ToArray());
        Assert.True(_ml.Regression.Evaluate(first.Transform(rows)).RSquared > 0.9);
        // Another pool shuffles otherwise: another result.
        Assert.NotEqual(Scores(first, rows), Scores(_ml.Regression.Trainers.DeepNet(Streamed(pool: 7)).Fit(rows), rows));
    }

    [Fact]
    public void AStreamedRunDoesNotDependOnTheThreadCount()
    {
        var rows = ToyData.Regression(_ml, 300, 1);
        var options = Streamed();
        options.NumberOfThreads = 1;
        var one = _ml.Regression.Trainers.DeepNet(options).Fit(rows);
        options.NumberOfThreads = 2;
        var two = _ml.Regression.Trainers.DeepNet(options).Fit(rows);
        Assert.Equal(one.Model.Payload.ToArray(), two.Model.Payload.ToArray());
    }

    [Fact]
    public void AStreamedRunValidatesOnTheGivenSetAndStopsEarly()
    {
        var trainer = _ml.Regression.Trainers.DeepNet(new DeepNetOptions
        {
            HiddenLayers = [16], Epochs = 40, EarlyStoppingPatience = 3, LearningRate = 0.01f, Seed = 3, Streaming = true,
        });
        trainer.Fit(ToyData.Regression(_ml, 400, 1), ToyData.Regression(_ml, 200, 2, sign: -1f));
        Assert.True(trainer.LastTrainingResult!.StoppedEarly);
    }

    [Fact]
    public void StreamingRefusesWhatNeedsTheRowsInMemory()
    {
        Assert.Equal(nameof(DeepNetOptions.ValidationFraction), Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Regression.Trainers.DeepNet(new DeepNetOptions { Streaming = true, ValidationFraction = 0.1f })).ParamName);
        Assert.Equal(nameof(DeepNetOptions.Pretraining), Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Regression.Trainers.DeepNet(new DeepNetOptions { Streaming = true, Pretraining = new() })).ParamName);
        Assert.Equal(nameof(DeepNetOptions.ShufflePoolSize), Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Regression.Trainers.DeepNet(new DeepNetOptions { Streaming = true, ShufflePoolSize = 0 })).ParamName);
    }

    [Fact]
    public void TheInMemoryReaderGivesTheSameModelWhetherTheRowCountIsKnownOrNot()
    {
        // Unknown, the reader counts the labelled rows in a first pass over the label column, then reads once.
        var rows = ToyData.Regression(_ml, 300, 1);
        var options = new DeepNetOptions { HiddenLayers = [8], Epochs = 2, Seed = 2 };
        var known = new CountingView(rows);
        var unknown = new CountingView(rows, hideRowCount: true);
        var a = _ml.Regression.Trainers.DeepNet(options).Fit(known);
        var b = _ml.Regression.Trainers.DeepNet(options).Fit(unknown);
        Assert.Equal(1, known.Passes);
        Assert.Equal(2, unknown.Passes);
        Assert.Equal(a.Model.Payload.ToArray(), b.Model.Payload.ToArray());
    }

    [Fact]
    public void RowsWithAMissingLabelAreSkippedBeforeTheBufferIsTrimmed()
    {
        // The view's row count includes the unlabelled rows; the dataset holds the labelled ones only.
        var rows = Enumerable.Range(0, 40).Select(i => new ToyData.Row { Label = i % 4 == 0 ? float.NaN : i, Features = [i, 1, 2, 3] }).ToList();
        var schema = SchemaDefinition.Create(typeof(ToyData.Row));
        schema[nameof(ToyData.Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 4);
        var view = _ml.Data.LoadFromEnumerable(rows, schema);
        var task = Training.TrainingTask.Create(NetworkPredictionKind.Regression, view.Schema, new DeepNetOptions());
        var (data, weights) = Training.TrainingData.Read(view, task, "training", CancellationToken.None);
        Assert.Null(weights);
        Assert.Equal(30, data.Count);
        var features = new float[4];
        var target = new float[1];
        data.Read(29, features, target);
        Assert.Equal([39f, 1, 2, 3], features);
        Assert.Equal(39f, target[0]);
    }
}
