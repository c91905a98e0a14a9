using MLNetDeep.Datasets;

namespace MLNetDeep.Bench.Compare;

/// <summary>Fashion-MNIST as flat arrays: pixels scaled to [0, 1], labels 0..9.</summary>
public sealed class FashionMnist
{
    public const int Pixels = 28 * 28;

    /// <summary>Where the IDX files are: $FASHION_MNIST_DIR, or Debian's dataset-fashion-mnist package.</summary>
    public static string Directory => Environment.GetEnvironmentVariable("FASHION_MNIST_DIR") is { Length: > 0 } dir
        ? dir : "/usr/share/datasets/fashion-mnist";

    public static string File(string name)
    {
        string path = Path.Combine(Directory, name);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"Fashion-MNIST file '{path}' is missing: install it (apt-get install -y dataset-fashion-mnist) or set FASHION_MNIST_DIR.", path);
        return path;
    }

    public static (string Images, string Labels) TrainFiles => (File("train-images-idx3-ubyte.gz"), File("train-labels-idx1-ubyte.gz"));
    public static (string Images, string Labels) TestFiles => (File("t10k-images-idx3-ubyte.gz"), File("t10k-labels-idx1-ubyte.gz"));

    public required float[] TrainX { get; init; }
    public required float[] TrainY { get; init; }
    public required float[] TestX { get; init; }
    public required float[] TestY { get; init; }
    public int TrainCount => TrainY.Length;
    public int TestCount => TestY.Length;

    public static FashionMnist Load()
    {
        var (trainImages, trainLabels) = TrainFiles;
        var (testImages, testLabels) = TestFiles;
        return new FashionMnist
        {
            // Divide by 255, as LoadFromIdx does, so every side sees the same numbers.
            TrainX = Scale(IdxFile.ReadImages(trainImages)),
            TrainY = IdxFile.ReadLabels(trainLabels).Select(b => (float)b).ToArray(),
            TestX = Scale(IdxFile.ReadImages(testImages)),
            TestY = IdxFile.ReadLabels(testLabels).Select(b => (float)b).ToArray(),
        };
    }

    private static float[] Scale(IdxImages images)
    {
        var result = new float[images.Pixels.Length];
        for (int i = 0; i < result.Length; i++) result[i] = images.Pixels[i] / 255f;
        return result;
    }
}
