using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Samples;

/// <summary>
/// The data every digits sample uses: the 10,000 embedded MNIST digits (first 8,000 train, last
/// 2,000 test), or an IDX folder given with --data (train-* and t10k-* files, as MNIST and
/// Fashion-MNIST name them). Pixels are scaled to [0, 1] by the loader.
/// </summary>
internal static class Digits
{
    /// <summary>The training and test views, at most <paramref name="maxTrain"/> and <paramref name="maxTest"/> rows.</summary>
    public static (IDataView Train, IDataView Test, string Description) Load(MLContext ml, SampleContext context, int maxTrain = int.MaxValue, int maxTest = int.MaxValue)
    {
        IDataView train, test;
        string name;
        if (context.DataDirectory is string dir)
        {
            train = ml.Data.LoadFromIdx(Find(dir, "train-images-idx3-ubyte"), Find(dir, "train-labels-idx1-ubyte"));
            test = ml.Data.LoadFromIdx(Find(dir, "t10k-images-idx3-ubyte"), Find(dir, "t10k-labels-idx1-ubyte"));
            name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
        }
        else
        {
            var all = ml.Data.LoadEmbeddedDigits();
            train = ml.Data.TakeRows(all, 8_000);
            test = ml.Data.SkipRows(all, 8_000);
            name = "embedded MNIST digits";
        }
        if (maxTrain < int.MaxValue) train = ml.Data.TakeRows(train, maxTrain);
        if (maxTest < int.MaxValue) test = ml.Data.TakeRows(test, maxTest);
        // Held in memory once, so that every trainer reads the same rows at the same cost.
        train = ml.Data.Cache(train);
        test = ml.Data.Cache(test);
        long trainRows = train.GetRowCount() ?? train.GetColumn<float>("Label").LongCount();
        long testRows = test.GetRowCount() ?? test.GetColumn<float>("Label").LongCount();
        return (train, test, $"{name}: {trainRows:N0} training rows, {testRows:N0} test rows");
    }

    /// <summary>A view as the engine's in-memory dataset: 784 pixels and a class index per sample.</summary>
    public static InMemoryDataset ToDataset(IDataView view)
    {
        var features = view.GetColumn<float[]>("Features").ToArray();
        var labels = view.GetColumn<float>("Label").ToArray();
        int size = features[0].Length;
        return new InMemoryDataset(features.SelectMany(f => f).ToArray(), labels, TensorShape.Vector(size));
    }

    private static string Find(string directory, string stem)
    {
        foreach (string candidate in new[] { stem + ".gz", stem })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"'{directory}' has no {stem}.gz nor {stem} (the MNIST file names).", Path.Combine(directory, stem + ".gz"));
    }
}
