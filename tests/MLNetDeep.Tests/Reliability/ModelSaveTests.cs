using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Tests.DeepNet;

namespace MLNetDeep.Tests.Reliability;

/// <summary>ml.Model.SaveAtomic: a failed save leaves no model file that looks valid, and an earlier one intact.</summary>
public sealed class ModelSaveTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-save-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public sealed class Doubled
    {
        public float Twice { get; set; }
    }

    /// <summary>A DeepNet followed by a custom mapping that has no contract name, so ML.NET fails to save it after writing the DeepNet.</summary>
    private (ITransformer Good, ITransformer Unsaveable, IDataView Data) Models()
    {
        var data = Synthetic.Regression(_ml, 100, seed: 1);
        var deepNet = _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [8], Epochs = 1 }).Fit(data);
        var unsaveable = deepNet.Append(_ml.Transforms.CustomMapping<Synthetic.Row, Doubled>((row, doubled) => doubled.Twice = 2 * row.Label, contractName: null)
            .Fit(deepNet.Transform(data)));
        return (deepNet, unsaveable, data);
    }

    [Fact]
    public void PlainSaveLeavesAPartialFileThatSaveAtomicDoesNot()
    {
        var (_, unsaveable, data) = Models();
        string plain = Path.Combine(_directory, "plain.zip");
        Assert.ThrowsAny<Exception>(() => _ml.Model.Save(unsaveable, data.Schema, plain));
        Assert.True(File.Exists(plain)); // ML.NET's own writer: the reason SaveAtomic exists

        string atomic = Path.Combine(_directory, "atomic.zip");
        Assert.ThrowsAny<Exception>(() => _ml.Model.SaveAtomic(unsaveable, data.Schema, atomic));
        Assert.False(File.Exists(atomic));
        Assert.Equal([plain], Directory.GetFiles(_directory));
    }

    [Fact]
    public void AFailedSaveAtomicLeavesTheEarlierModelAsItWas()
    {
        var (good, unsaveable, data) = Models();
        string path = Path.Combine(_directory, "model.zip");
        _ml.Model.SaveAtomic(good, data.Schema, path);
        byte[] before = File.ReadAllBytes(path);

        Assert.ThrowsAny<Exception>(() => _ml.Model.SaveAtomic(unsaveable, data.Schema, path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
        var loaded = _ml.Model.Load(path, out _);
        Assert.Equal(good.Transform(data).GetColumn<float>("Score"), loaded.Transform(data).GetColumn<float>("Score"));
    }

    [Fact]
    public void SaveAtomicIntoAMissingFolderWritesNothing()
    {
        var (good, _, data) = Models();
        Assert.Throws<DirectoryNotFoundException>(() => _ml.Model.SaveAtomic(good, data.Schema, Path.Combine(_directory, "missing", "model.zip")));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }
}
