using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Tests.DeepNet;

namespace MLNetDeep.Tests.Onnx;

/// <summary>
/// A DeepNet CNN with batch and layer normalisation, same padding, global average pooling and the smooth activations,
/// converted with ML.NET's <c>ConvertToOnnx</c> and scored by <c>ApplyOnnxModel</c>: the same labels, scores within 1e-5.
/// </summary>
public sealed class ModernLayerOnnxTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void AModernCnnConvertsThroughConvertToOnnxAndScoresTheSame()
    {
        var (train, test) = Digits.Split(_ml, train: 500, test: 200);
        var model = _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions
            {
                Layers =
                [
                    DeepNetLayer.Conv2D(6, 3, ConvPadding.Same, activation: ActivationKind.Identity), DeepNetLayer.BatchNorm(), DeepNetLayer.Activation(ActivationKind.GELU),
                    DeepNetLayer.MaxPool(2), DeepNetLayer.Conv2D(8, 3, ConvPadding.Same, activation: ActivationKind.SiLU), DeepNetLayer.LayerNorm(),
                    DeepNetLayer.GlobalAveragePool(), DeepNetLayer.Dense(16, ActivationKind.Identity), DeepNetLayer.BatchNorm(), DeepNetLayer.Activation(ActivationKind.SELU),
                    DeepNetLayer.Dense(12, ActivationKind.Softplus),
                ],
                Epochs = 2, BatchSize = 50, Seed = 1,
            }))
            .Fit(train);
        var expected = model.Transform(test);

        var actual = OnnxPipelines.Score(_ml, OnnxPipelines.Convert(_ml, model, train), test);

        Assert.Equal(expected.GetColumn<uint>("PredictedLabel"), actual.GetColumn<VBuffer<uint>>("PredictedLabel").Select(v => v.DenseValues().Single()));
        OnnxPipelines.AssertClose(OnnxPipelines.Vectors(expected, "Score"), OnnxPipelines.Vectors(actual, "Score"), 1e-5f, "Score");
    }
}
