using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Datasets;

namespace MLNetDeep.Tests.DeepNet;

public sealed class IdxLoaderTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-idx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void GzippedAndRawFilesLoadAsImagesWithDimensions()
    {
        var (imagesGz, labelsGz) = EmbeddedDigits.WriteTo(_directory);
        string imagesRaw = Path.Combine(_directory, "images.idx3"), labelsRaw = Path.Combine(_directory, "labels.idx1");
        using (var gz = new GZipStream(File.OpenRead(imagesGz), CompressionMode.Decompress)) using (var raw = File.Create(imagesRaw)) gz.CopyTo(raw);
        using (var gz = new GZipStream(File.OpenRead(labelsGz), CompressionMode.Decompress)) using (var raw = File.Create(labelsRaw)) gz.CopyTo(raw);

        foreach (var (images, labels) in new[] { (imagesGz, labelsGz), (imagesRaw, labelsRaw) })
        {
            var data = _ml.Data.LoadFromIdx(images, labels);
            var type = (VectorDataViewType)data.Schema["Features"].Type;
            Assert.Equal(new[] { 1, 28, 28 }, type.Dimensions.ToArray());
            Assert.Equal(NumberDataViewType.Single, data.Schema["Label"].Type);
            var first = data.Preview(3).RowView;
            float[] labelsRead = data.GetColumn<float>("Label").ToArray();
            Assert.Equal(10_000, labelsRead.Length);
            Assert.Equal(EmbeddedDigits.Labels.Select(b => (float)b), labelsRead);
            // Pixels are scaled to [0, 1]: the stored byte divided by 255.
            float[] pixels = data.GetColumn<float[]>("Features").First();
            Assert.Equal(EmbeddedDigits.Images.Image(0).ToArray().Select(b => b / 255f), pixels);
            Assert.Equal(3, first.Length);
        }
        var unscaled = _ml.Data.LoadFromIdx(imagesGz, labelsGz, scaleToUnit: false).GetColumn<float[]>("Features").First();
        Assert.Equal(EmbeddedDigits.Images.Image(0).ToArray().Select(b => (float)b), unscaled);
    }

    [Fact]
    public void BadFilesAreNamed()
    {
        var (images, labels) = EmbeddedDigits.WriteTo(_directory);
        var missing = Assert.Throws<FileNotFoundException>(() => _ml.Data.LoadFromIdx(Path.Combine(_directory, "nope.gz"), labels));
        Assert.Contains("nope.gz", missing.Message);
        var swapped = Assert.Throws<InvalidDataException>(() => _ml.Data.LoadFromIdx(labels, images));
        Assert.Contains(labels, swapped.Message);
        string truncated = Path.Combine(_directory, "short.idx3");
        File.WriteAllBytes(truncated, [0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => _ml.Data.LoadFromIdx(truncated, labels));
        Assert.Contains("short.idx3", e.Message);
        Assert.Contains("runcated", e.Message);
    }
}
