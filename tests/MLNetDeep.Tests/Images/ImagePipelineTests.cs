using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Xunit.Abstractions;

namespace MLNetDeep.Tests.Images;

/// <summary>A CNN as one step of an image pipeline: LoadImages -> ResizeImages -> ExtractPixels -> DeepNet.</summary>
public sealed class ImagePipelineTests(ITestOutputHelper output) : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-images-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static DeepNetOptions SmallCnn(int epochs) => new()
    {
        Layers = [DeepNetLayer.Conv2D(16, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Conv2D(32, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Dropout(0.2f)],
        Initializer = Engine.Initializers.InitializerKind.He, Epochs = epochs, BatchSize = 32, Seed = 1,
    };

    [Fact]
    public void TrainsOnPngFilesPredictsWellAboveChanceAndReloadsInANewProcess()
    {
        var train = DigitImages.Write(_directory, 0, 800);
        var test = DigitImages.Write(_directory, 8000, 200);
        var trainView = _ml.Data.LoadFromEnumerable(train);
        var keying = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(trainView);
        var keyed = keying.Transform(trainView);

        var pipeline = _ml.Transforms.LoadImages("Image", imageFolder: _directory, inputColumnName: "ImagePath")
            .Append(_ml.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
            .Append(_ml.Transforms.ExtractPixels("Features", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(_ml.MulticlassClassification.Trainers.DeepNet(SmallCnn(epochs: 8)))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(keyed);

        var testView = keying.Transform(_ml.Data.LoadFromEnumerable(test));
        var metrics = _ml.MulticlassClassification.Evaluate(model.Transform(testView));
        output.WriteLine($"CNN on 800 PNG digits, 200 held-out PNGs: MicroAccuracy {metrics.MicroAccuracy:F4} (chance 0.10)");
        Assert.True(metrics.MicroAccuracy >= 0.80, $"MicroAccuracy {metrics.MicroAccuracy:F4}");

        string path = Path.Combine(_directory, "cnn.zip");
        _ml.Model.Save(model, keyed.Schema, path);
        string[] lines = ModelRunnerProcess.PredictImages(path, test.Select(r => r.ImagePath), _directory);
        float[][] scores = model.Transform(testView).GetColumn<float[]>("Score").ToArray();
        int scoreAt = Array.IndexOf(lines[0].Split('\t'), "Score");
        Assert.Equal(test.Count + 1, lines.Length);
        for (int i = 0; i < test.Count; i++)
        {
            uint[] bits = lines[i + 1].Split('\t')[scoreAt].Split(' ').Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(scores[i].Select(BitConverter.SingleToUInt32Bits), bits);
        }
    }

    [Fact]
    public void AConvolutionOnFeaturesWithoutDimensionsIsAClearError()
    {
        var flat = DeepNet.Synthetic.Regression(_ml, 50, seed: 1);
        var options = SmallCnn(1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(options).Fit(flat));
        Assert.Contains("'Features'", e.Message);
        Assert.Contains("image", e.Message);
    }

    [Fact]
    public void AnImageShapeThatDoesNotFitTheFlatColumnIsRefusedNamingBoth()
    {
        var flat = DeepNet.Synthetic.Regression(_ml, 50, seed: 1);
        int size = ((VectorDataViewType)flat.Schema["Features"].Type).Size;
        var options = SmallCnn(1);
        options.ImageShape = [1, 28, 28];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(options).Fit(flat));
        Assert.Equal("ImageShape", e.ParamName);
        Assert.Contains("'Features'", e.Message);
        Assert.Contains($"has {size}", e.Message);

        options.ImageShape = [28, 28];
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Regression.Trainers.DeepNet(options));
        Assert.Equal("ImageShape", shape.ParamName);
    }

    [Fact]
    public void ConvolutionReadsTheShapeOfIdxData()
    {
        var (train, test) = DeepNet.Digits.Split(_ml, 2000, 500);
        var model = _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ml.MulticlassClassification.Trainers.DeepNet(SmallCnn(epochs: 3)))
            .Fit(train);
        var metrics = _ml.MulticlassClassification.Evaluate(model.Transform(test));
        output.WriteLine($"CNN on 2,000 IDX digits: MicroAccuracy {metrics.MicroAccuracy:F4}");
        Assert.True(metrics.MicroAccuracy >= 0.90, $"MicroAccuracy {metrics.MicroAccuracy:F4}");
    }
}
