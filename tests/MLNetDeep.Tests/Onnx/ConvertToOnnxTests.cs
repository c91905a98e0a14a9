using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Tests.DeepNet;

namespace MLNetDeep.Tests.Onnx;

/// <summary>
/// Pipelines holding DeepNet or DeepBeliefFeatures beside ML.NET's own transforms, converted with
/// <c>ConvertToOnnx</c> and scored by <c>ApplyOnnxModel</c> (ONNX Runtime): the same predicted labels
/// and scores within 1e-5 as the ML.NET model, in the columns ML.NET's own trainers export.
/// </summary>
public sealed class ConvertToOnnxTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void TheDigitsCnnPipelineGivesTheSameLabelsOnAll2000TestDigits()
    {
        // The digits' Features column is an image, [1, 28, 28]. NormalizeMinMax is left out here: ML.NET exports it as a
        // Scaler of 784 values on that [N, 1, 28, 28] input, which ONNX Runtime refuses ("Either both scale and offset
        // can be of feature size (1) or 1"), whatever follows. With a normalizer, the column is flat and the network is
        // told its image shape: the next test.
        var (train, test) = Digits.Split(_ml, train: 2000);
        var options = new DeepNetOptions
        {
            Layers = [DeepNetLayer.Conv2D(8, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Conv2D(16, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Dropout(0.3f)],
            Epochs = 2, BatchSize = 100, Seed = 1,
        };
        var model = _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ml.MulticlassClassification.Trainers.DeepNet(options))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);

        AssertSameLabelsAndScores(model, train, test, 2000);
    }

    [Fact]
    public void TheFlatDigitsCnnPipelineWithNormalizeMinMaxGivesTheSameLabelsOnAll2000TestDigits()
    {
        // MapValueToKey, NormalizeMinMax, DeepNet CNN, MapKeyToValue: the pixels are a flat vector of 784, which ML.NET's
        // normalizer exports as a Scaler ONNX Runtime accepts; ImageShape tells the network they are a [1, 28, 28] image.
        var train = OnnxPipelines.FlatDigits(_ml, 0, 2000);
        var test = OnnxPipelines.FlatDigits(_ml, 8000, 2000);
        var options = new DeepNetOptions
        {
            ImageShape = [1, 28, 28],
            Layers = [DeepNetLayer.Conv2D(8, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Conv2D(16, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Dropout(0.3f)],
            Epochs = 2, BatchSize = 100, Seed = 1,
        };
        var model = DeepNetPipelineTests.MulticlassPipeline(_ml, options).Fit(train);

        AssertSameLabelsAndScores(model, train, test, 2000);
    }

    [Fact]
    public void TheFlatDigitsMlpPipelineWithNormalizeMinMaxGivesTheSameLabels()
    {
        // MapValueToKey, NormalizeMinMax, DeepNet, MapKeyToValue on the digits as a flat vector of 784 pixels.
        var train = OnnxPipelines.FlatDigits(_ml, 0, 2000);
        var test = OnnxPipelines.FlatDigits(_ml, 8000, 2000);
        var model = DeepNetPipelineTests.MulticlassPipeline(_ml, new DeepNetOptions { HiddenLayers = [64, 32], Dropout = 0.2f, Epochs = 2, Seed = 1 }).Fit(train);

        AssertSameLabelsAndScores(model, train, test, 2000);
    }

    private void AssertSameLabelsAndScores(ITransformer model, IDataView train, IDataView test, int rows)
    {
        var expected = model.Transform(test);

        var actual = OnnxPipelines.Score(_ml, OnnxPipelines.Convert(_ml, model, train), test);

        var labels = expected.GetColumn<float>("PredictedLabel").ToArray();
        var onnxLabels = actual.GetColumn<VBuffer<float>>("PredictedLabel").Select(v => v.DenseValues().Single()).ToArray();
        Assert.Equal(rows, labels.Length);
        Assert.Equal(labels, onnxLabels);
        OnnxPipelines.AssertClose(OnnxPipelines.Vectors(expected, "Score"), OnnxPipelines.Vectors(actual, "Score"), 1e-5f, "Score");
    }

    [Fact]
    public void APredictedLabelKeyStaysAKeyOfTheSameClasses()
    {
        // Without MapKeyToValue the graph's PredictedLabel is the key itself: uint32, 1 for the first class.
        var (train, test) = Digits.Split(_ml, train: 1000, test: 300);
        var model = _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [32], Epochs = 2, Seed = 1 }))
            .Fit(train);
        var expected = model.Transform(test);

        var actual = OnnxPipelines.Score(_ml, OnnxPipelines.Convert(_ml, model, train), test);

        Assert.Equal(NumberDataViewType.UInt32, ((VectorDataViewType)actual.Schema["PredictedLabel"].Type).ItemType);
        Assert.Equal(expected.GetColumn<uint>("PredictedLabel"), actual.GetColumn<VBuffer<uint>>("PredictedLabel").Select(v => v.DenseValues().Single()));
        OnnxPipelines.AssertClose(OnnxPipelines.Vectors(expected, "Score"), OnnxPipelines.Vectors(actual, "Score"), 1e-5f, "Score");
    }

    [Fact]
    public void ABinaryDeepNetExportsPredictedLabelScoreAndProbability()
    {
        var data = Digits.Binary(_ml, 3, 5, 0, 2000);
        var test = Digits.Binary(_ml, 3, 5, 8000, 600);
        var model = _ml.Transforms.NormalizeMeanVariance("Features")
            .Append(_ml.BinaryClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [32], Activation = ActivationKind.Tanh, Epochs = 2, Seed = 1 }))
            .Fit(data);
        var expected = model.Transform(test);

        var actual = OnnxPipelines.Score(_ml, OnnxPipelines.Convert(_ml, model, data), test);

        Assert.Equal(expected.GetColumn<bool>("PredictedLabel"), actual.GetColumn<VBuffer<bool>>("PredictedLabel").Select(v => v.DenseValues().Single()));
        foreach (string column in new[] { "Score", "Probability" })
        {
            var values = expected.GetColumn<float>(column).Select(v => new[] { v }).ToArray();
            OnnxPipelines.AssertClose(values, OnnxPipelines.Vectors(actual, column + ""), 1e-5f, column);
        }
    }

    [Fact]
    public void ARegressionDeepNetAfterNormalizeMinMaxExportsItsScore()
    {
        var data = Synthetic.Regression(_ml, 400, seed: 1);
        var model = _ml.Transforms.NormalizeMinMax("Features")
            .Append(_ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [16, 16], Activation = ActivationKind.ELU, Epochs = 3, Seed = 1 }))
            .Fit(data);
        var expected = model.Transform(data);

        var actual = OnnxPipelines.Score(_ml, OnnxPipelines.Convert(_ml, model, data), data);

        var values = expected.GetColumn<float>("Score").Select(v => new[] { v }).ToArray();
        OnnxPipelines.AssertClose(values, OnnxPipelines.Vectors(actual, "Score"), 1e-5f, "Score");
    }

    [Theory]
    [InlineData(9)]
    [InlineData(12)]
    public void TheNetworksFormsHoldFromOpset9To12(int opset)
    {
        // The CNN's operators (Conv, MaxPool, Reshape, Gemm, Softmax, ArgMax, Cast) at the oldest and newest opset ML.NET's converter takes.
        var train = _ml.Data.TakeRows(_ml.Data.LoadEmbeddedDigits(), 300);
        var options = new DeepNetOptions { Layers = [DeepNetLayer.Conv2D(4, 3), DeepNetLayer.MaxPool(2), DeepNetLayer.Maxout(8, 2)], Epochs = 1, Seed = 1 };
        var model = _ml.Transforms.Conversion.MapValueToKey("Label").Append(_ml.MulticlassClassification.Trainers.DeepNet(options)).Fit(train);
        using var stream = new MemoryStream();
        _ml.Model.ConvertToOnnx(model, train, opset, stream);

        var actual = OnnxPipelines.Score(_ml, stream.ToArray(), train);

        Assert.Equal(model.Transform(train).GetColumn<uint>("PredictedLabel"), actual.GetColumn<VBuffer<uint>>("PredictedLabel").Select(v => v.DenseValues().Single()));
        OnnxPipelines.AssertClose(OnnxPipelines.Vectors(model.Transform(train), "Score"), OnnxPipelines.Vectors(actual, "Score"), 1e-5f, "Score");
    }

    [Fact]
    public void ADeepBeliefFeaturesPipelineExportsItsFeatures()
    {
        var train = OnnxPipelines.FlatDigits(_ml, 0, 1000);
        var test = OnnxPipelines.FlatDigits(_ml, 8000, 300);
        var model = _ml.Transforms.NormalizeMinMax("Features")
            .Append(_ml.Transforms.DeepBeliefFeatures("Learned", "Features", [64, 32], new PretrainingOptions { Epochs = 2 }))
            .Fit(train);
        var expected = model.Transform(test);

        var actual = OnnxPipelines.Score(_ml, OnnxPipelines.Convert(_ml, model, train), test);

        OnnxPipelines.AssertClose(OnnxPipelines.Vectors(expected, "Learned"), OnnxPipelines.Vectors(actual, "Learned"), 1e-5f, "Learned");
    }

    [Fact]
    public void AScorerWithoutAnOnnxFormFailsTheConversionNamingItAndWritesNothing()
    {
        // The stand-in's affine scorer has no ONNX form; the conversion must not write a model without it.
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Regression());
        ITransformer model = new StandInEstimator(_ml, NetworkPredictionKind.Regression, StandIn.Regression).Fit(data);
        using var stream = new MemoryStream();

        var e = Assert.Throws<NotSupportedException>(() => _ml.Model.ConvertToOnnx(model, data, stream));

        Assert.Contains(nameof(AffineScorerFactory), e.Message);
        Assert.Equal(0, stream.Length);
    }
}
