using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Tests.Reliability;

/// <summary>
/// Bad input through the public API, one row a case: what is done, the exception it must raise, and the
/// words its message must contain (the column, option or file, and what was expected).
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-badinput-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed record Case(string Name, Type Expected, string[] Words, Action<BadInputTests> Act);

    private static readonly Case[] Table =
    [
        // The features column.
        new("features column missing", typeof(ArgumentOutOfRangeException), ["'Pixels'", "not found"], t => t.Regression(o => o.FeatureColumnName = "Pixels").Fit(t.Good())),
        new("features column a scalar", typeof(ArgumentOutOfRangeException), ["'Other'", "vector of Single", "found Single"], t => t.Regression(o => o.FeatureColumnName = "Other").Fit(t.Good())),
        new("features vector of unknown size", typeof(ArgumentOutOfRangeException), ["'Ragged'", "known size"], t => t.Regression(o => o.FeatureColumnName = "Ragged").Fit(t.Good())),
        new("features vector of Double", typeof(ArgumentOutOfRangeException), ["'Doubles'", "vector of Single", "Double"], t => t.Regression(o => o.FeatureColumnName = "Doubles").Fit(t.Good())),
        new("NaN feature", typeof(InvalidOperationException), ["'Features'", "Row 1", "NaN", "slot 1", "finite"], t => t.Regression().Fit(t.Rows((1, [0, 1, 2]), (2, [1, float.NaN, 1])))),
        new("infinite feature", typeof(InvalidOperationException), ["'Features'", "Row 0", "slot 2", "finite"], t => t.Regression().Fit(t.Rows((1, [0, 1, float.NegativeInfinity])))),

        // The label column.
        new("label column missing", typeof(ArgumentOutOfRangeException), ["'Target'", "not found"], t => t.Regression(o => o.LabelColumnName = "Target").Fit(t.Good())),
        new("multiclass label not a key", typeof(ArgumentOutOfRangeException), ["'Label'", "key", "MapValueToKey"], t => t._ml.MulticlassClassification.Trainers.DeepNet(Small()).Fit(t.Good())),
        new("binary label not Boolean", typeof(ArgumentOutOfRangeException), ["'Label'", "Boolean", "binary"], t => t._ml.BinaryClassification.Trainers.DeepNet(Small()).Fit(t.Good())),
        new("regression label not Single", typeof(ArgumentOutOfRangeException), ["'Flag'", "Single", "regression"], t => t.Regression(o => o.LabelColumnName = "Flag").Fit(t.Good())),
        new("regression label infinite", typeof(InvalidOperationException), ["'Label'", "Row 1", "finite"], t => t.Regression().Fit(t.Rows((1, [0, 1, 2]), (float.PositiveInfinity, [1, 1, 1])))),
        new("every label missing", typeof(InvalidOperationException), ["'Label'", "missing", "nothing to learn"], t => t.Regression().Fit(t.Rows((float.NaN, [0, 1, 2]), (float.NaN, [1, 1, 1])))),
        new("empty data set", typeof(InvalidOperationException), ["no rows", "nothing to learn"], t => t.Regression().Fit(t.Rows())),
        new("validation split of one row", typeof(ArgumentException), ["ValidationFraction", "at least 2"], t => t.Regression(o => o.ValidationFraction = 0.5f).Fit(t.Rows((1, [0, 1, 2])))),

        // The schema at prediction.
        new("transform: features of another size", typeof(ArgumentOutOfRangeException), ["'Features'", "size 3", "Vector<Single, 4>"], t => t.Trained().Transform(t.WideRows())),
        new("transform: features column missing", typeof(ArgumentOutOfRangeException), ["'Features'", "not found"], t => t.Trained().Transform(t._ml.Data.LoadFromEnumerable(new[] { new Named() }))),
        new("prediction engine: features of another size", typeof(ArgumentOutOfRangeException), ["'Features'", "size 3"], t => t._ml.Model.CreatePredictionEngine<Wide, Prediction>(t.Trained())),

        // Options.
        new("negative learning rate", typeof(ArgumentOutOfRangeException), ["LearningRate", "positive"], t => t.Regression(o => o.LearningRate = -0.1f)),
        new("zero epochs", typeof(ArgumentOutOfRangeException), ["Epochs", "at least 1"], t => t.Regression(o => o.Epochs = 0)),
        new("zero batch size", typeof(ArgumentOutOfRangeException), ["BatchSize", "at least 1"], t => t.Regression(o => o.BatchSize = 0)),
        new("dropout of 1", typeof(ArgumentOutOfRangeException), ["Dropout", "[0, 1)"], t => t.Regression(o => o.Dropout = 1f)),
        new("hidden layer of no unit", typeof(ArgumentOutOfRangeException), ["HiddenLayers", "at least one unit"], t => t.Regression(o => o.HiddenLayers = [10, 0])),
        new("validation fraction of 1", typeof(ArgumentOutOfRangeException), ["ValidationFraction", "[0, 1)"], t => t.Regression(o => o.ValidationFraction = 1f)),
        new("early stopping without validation", typeof(ArgumentOutOfRangeException), ["EarlyStoppingPatience", "ValidationFraction"], t => t.Regression(o => o.EarlyStoppingPatience = 3).Fit(t.Good())),
        new("NaN weight decay", typeof(ArgumentOutOfRangeException), ["L2"], t => t.Regression(o => o.L2 = float.NaN)),
        new("zero threads", typeof(ArgumentOutOfRangeException), ["NumberOfThreads", "at least 1"], t => t.Regression(o => o.NumberOfThreads = 0)),
        new("checkpoint in a missing folder", typeof(ArgumentOutOfRangeException), ["CheckpointPath", "missing-folder", "does not exist"], t => t.Regression(o => o.CheckpointPath = Path.Combine(t._directory, "missing-folder", "run.ckpt"))),
        new("convolution with no filter", typeof(ArgumentOutOfRangeException), ["filters", "at least one filter"], _ => DeepNetLayer.Conv2D(0, 3)),

        // Layer lists whose shapes do not fit the features.
        new("Conv2D on flat features", typeof(ArgumentOutOfRangeException), ["Layers", "'Features'", "Conv2D", "image"], t => t.Regression(o => o.Layers = [DeepNetLayer.Conv2D(4, 3)]).Fit(t.Good())),
        new("MaxPool larger than the image", typeof(ArgumentOutOfRangeException), ["Layers", "'Features'", "MaxPool2D(5)", "at least 5x5", "[1, 4, 4]"], t => t.Regression(o => o.Layers = [DeepNetLayer.MaxPool(5)]).Fit(t.Images())),
        new("Conv2D kernel larger than the image", typeof(ArgumentOutOfRangeException), ["Layers", "'Features'", "at least 7x7"], t => t.Regression(o => o.Layers = [DeepNetLayer.Conv2D(2, 7)]).Fit(t.Images())),
        new("Maxout pieces not dividing the units", typeof(ArgumentOutOfRangeException), ["Layers", "Maxout(2)", "multiple of 2"], t => t.Regression(o => o.Layers = [DeepNetLayer.Dense(5, ActivationKind.Maxout)]).Fit(t.Good())),

        // Files.
        new("engine model file that is not one", typeof(InvalidDataException), ["not-a-model.txt", "MLND"], t => Network.Load(t.File("not-a-model.txt", "hello"u8.ToArray()))),
        new("engine model file missing", typeof(FileNotFoundException), ["missing.mlnd"], t => Network.Load(Path.Combine(t._directory, "missing.mlnd"))),
        new("IDX file that is not one", typeof(InvalidDataException), ["images.idx", "Not an IDX image file"], t => t._ml.Data.LoadFromIdx(t.File("images.idx", new byte[64]), t.File("labels.idx", new byte[64]))),
        new("checkpoint of another run", typeof(InvalidOperationException), ["other.ckpt", "another run", "Dense(4)"], t => t.ResumeAnotherRun()),
        new("damaged checkpoint", typeof(InvalidDataException), ["damaged.ckpt", "not a valid training checkpoint"], t => t.Regression(o => o.CheckpointPath = t.File("damaged.ckpt", new byte[100])).Fit(t.Good())),
    ];

    public static TheoryData<string> Cases => new(Table.Select(c => c.Name));

    [Theory, MemberData(nameof(Cases))]
    public void BadInputRaisesASpecificExceptionNamingWhatIsWrong(string name)
    {
        var bad = Table.Single(c => c.Name == name);
        var e = Assert.Throws(bad.Expected, () => bad.Act(this));
        foreach (string word in bad.Words)
            Assert.True(e.Message.Contains(word, StringComparison.Ordinal), $"The message does not say '{word}': {e.Message}");
    }

    [Fact]
    public void TheTableHasAtLeastTwentyDistinctCases()
    {
        Assert.True(Table.Length >= 20);
        Assert.Equal(Table.Length, Table.Select(c => c.Name).Distinct().Count());
    }

    private static DeepNetOptions Small() => new() { HiddenLayers = [4], Epochs = 1, BatchSize = 8 };

    private DeepNetTrainer Regression(Action<DeepNetOptions>? change = null)
    {
        var options = Small();
        change?.Invoke(options);
        return _ml.Regression.Trainers.DeepNet(options);
    }

    private IDataView Rows(params (float Label, float[] Features)[] rows) =>
        _ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Label = r.Label, Features = r.Features, Ragged = r.Features, Doubles = r.Features.Select(f => (double)f).ToArray() }).ToList());

    private IDataView Good() => Rows((1, [0, 1, 2]), (2, [1, 1, 1]), (1, [2, 0, 1]));

    private IDataView WideRows() => _ml.Data.LoadFromEnumerable(new[] { new Wide { Features = [1, 2, 3, 4] } });

    private ITransformer Trained() => Regression().Fit(Good());

    /// <summary>Rows whose features are 4x4 one-channel images, [1, 4, 4].</summary>
    private IDataView Images()
    {
        var schema = SchemaDefinition.Create(typeof(ImageRow));
        schema[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 4, 4);
        var rows = Enumerable.Range(0, 4).Select(i => new ImageRow { Label = i, Features = Enumerable.Range(0, 16).Select(j => (float)((i + j) % 5)).ToArray() });
        return _ml.Data.LoadFromEnumerable(rows, schema);
    }

    private string File(string name, byte[] content)
    {
        string path = Path.Combine(_directory, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>One epoch with a checkpoint, then a network of another shape pointed at the same checkpoint.</summary>
    private void ResumeAnotherRun()
    {
        string path = Path.Combine(_directory, "other.ckpt");
        Regression(o => o.CheckpointPath = path).Fit(Good());
        Regression(o => { o.CheckpointPath = path; o.HiddenLayers = [5]; }).Fit(Good());
    }

    public sealed class Row
    {
        public float Label { get; set; }

        [VectorType(3)]
        public float[] Features { get; set; } = [];

        public float Other { get; set; } = 1;

        public float[] Ragged { get; set; } = [];

        [VectorType(3)]
        public double[] Doubles { get; set; } = [];

        public bool Flag { get; set; }
    }

    public sealed class Wide
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Named
    {
        [VectorType(3)]
        public float[] Pixels { get; set; } = [1, 2, 3];
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
    }

    public sealed class ImageRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
