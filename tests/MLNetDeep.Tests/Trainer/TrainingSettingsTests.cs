using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;
using MLNetDeep.Training;

namespace MLNetDeep.Tests.Trainer;

/// <summary>
/// The optimizers' own settings, AdamW's decoupled decay, label smoothing and augmentation as DeepNetOptions gives them:
/// each reaches the engine, and a setting the chosen optimizer or task does not read is refused, naming itself.
/// </summary>
public sealed class TrainingSettingsTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void EachOptimizerGetsTheSettingsItReads()
    {
        var adam = (Adam)OptimizerSettings.Create(new DeepNetOptions { Optimizer = OptimizerKind.Adam, Beta1 = 0.8f, Beta2 = 0.99f, Epsilon = 1e-6f });
        Assert.Equal((0.8f, 0.99f, 1e-6f), (adam.Beta1, adam.Beta2, adam.Epsilon));
        var nadam = (NAdam)OptimizerSettings.Create(new DeepNetOptions { Optimizer = OptimizerKind.NAdam, Beta2 = 0.98f });
        Assert.Equal((0.9f, 0.98f, 1e-8f), (nadam.Beta1, nadam.Beta2, nadam.Epsilon));
        var nesterov = (Nesterov)OptimizerSettings.Create(new DeepNetOptions { Optimizer = OptimizerKind.Nesterov, Momentum = 0.95f, LearningRate = 0.05f });
        Assert.Equal((0.95f, 0.05f), (nesterov.Mu, nesterov.LearningRate));
        var rmsProp = (RmsProp)OptimizerSettings.Create(new DeepNetOptions { Optimizer = OptimizerKind.RmsProp, Rho = 0.99f, Epsilon = 1e-7f, L2 = 1e-4f });
        Assert.Equal((0.99f, 1e-7f, 1e-4f), (rmsProp.Rho, rmsProp.Epsilon, rmsProp.WeightDecay));
        var adaDelta = (AdaDelta)OptimizerSettings.Create(new DeepNetOptions { Optimizer = OptimizerKind.AdaDelta, Rho = 0.9f });
        Assert.Equal((0.9f, 1e-6f), (adaDelta.Rho, adaDelta.Epsilon));
        var adagrad = (Adagrad)OptimizerSettings.Create(new DeepNetOptions { Optimizer = OptimizerKind.Adagrad, Epsilon = 1e-5f });
        Assert.Equal(1e-5f, adagrad.Epsilon);
        var plain = (Momentum)OptimizerSettings.Create(new DeepNetOptions { Optimizer = OptimizerKind.Momentum });
        Assert.Equal(0.9f, plain.Mu);
    }

    [Fact]
    public void AdamWsDecoupledDecayIsSettableDownToZeroAndKeepsItsOldDefaults()
    {
        float Decay(float? weightDecay, float l2) => OptimizerSettings.Create(new DeepNetOptions { Optimizer = OptimizerKind.AdamW, WeightDecay = weightDecay, L2 = l2 }).WeightDecay;
        Assert.Equal(0.01f, Decay(null, 0f));     // as before: PyTorch's default
        Assert.Equal(0.003f, Decay(null, 0.003f)); // as before: L2 sets it
        Assert.Equal(0f, Decay(0f, 0f));
        Assert.Equal(0.05f, Decay(0.05f, 0f));
        var both = Assert.Throws<ArgumentOutOfRangeException>(() => new DeepNetOptions { Optimizer = OptimizerKind.AdamW, WeightDecay = 0.01f, L2 = 0.01f }.Validate());
        Assert.Equal(nameof(DeepNetOptions.WeightDecay), both.ParamName);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, nameof(DeepNetOptions.Beta1))]
    [InlineData(OptimizerKind.Momentum, nameof(DeepNetOptions.Beta2))]
    [InlineData(OptimizerKind.Nesterov, nameof(DeepNetOptions.Epsilon))]
    [InlineData(OptimizerKind.Adam, nameof(DeepNetOptions.Momentum))]
    [InlineData(OptimizerKind.Adagrad, nameof(DeepNetOptions.Rho))]
    [InlineData(OptimizerKind.Adam, nameof(DeepNetOptions.WeightDecay))]
    [InlineData(OptimizerKind.NAdam, nameof(DeepNetOptions.Rho))]
    public void ASettingTheChosenOptimizerDoesNotReadIsRefusedByName(OptimizerKind kind, string setting)
    {
        var options = new DeepNetOptions { Optimizer = kind };
        typeof(DeepNetOptions).GetProperty(setting)!.SetValue(options, 0.5f);
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(setting, e.ParamName);
        Assert.Contains(kind.ToString(), e.Message);
    }

    [Theory]
    [InlineData(nameof(DeepNetOptions.Beta1), 1f)]
    [InlineData(nameof(DeepNetOptions.Beta2), -0.1f)]
    [InlineData(nameof(DeepNetOptions.Epsilon), 0f)]
    [InlineData(nameof(DeepNetOptions.WeightDecay), -1f)]
    public void AnOutOfRangeSettingIsRefusedByItsOptionsName(string setting, float value)
    {
        var options = new DeepNetOptions { Optimizer = OptimizerKind.AdamW };
        typeof(DeepNetOptions).GetProperty(setting)!.SetValue(options, value);
        Assert.Equal(setting, Assert.Throws<ArgumentOutOfRangeException>(options.Validate).ParamName);
        var momentum = new DeepNetOptions { Optimizer = OptimizerKind.Momentum, Momentum = 1f };
        Assert.Equal(nameof(DeepNetOptions.Momentum), Assert.Throws<ArgumentOutOfRangeException>(momentum.Validate).ParamName);
    }

    private float[][] Scores(DeepNetOptions options, IDataView data)
    {
        var model = _ml.MulticlassClassification.Trainers.DeepNet(options).Fit(data);
        return model.Transform(data).GetColumn<float[]>("Score").ToArray();
    }

    [Fact]
    public void AdamWWithoutDecayTrainsDifferentlyFromItsDefaultAndAnExplicitDefaultIsTheDefault()
    {
        var data = ToyData.Blobs(_ml, 150, 3);
        DeepNetOptions Options(float? decay) => new() { HiddenLayers = [8], Epochs = 3, Optimizer = OptimizerKind.AdamW, LearningRate = 0.05f, WeightDecay = decay };
        var byDefault = Scores(Options(null), data);
        Assert.Equal(byDefault, Scores(Options(0.01f), data));
        Assert.NotEqual(byDefault, Scores(Options(0f), data));
    }

    [Fact]
    public void LabelSmoothingRaisesTheReportedLossAndIsForMulticlassOnly()
    {
        var data = ToyData.Blobs(_ml, 150, 3);
        var plain = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [8], Epochs = 5, LearningRate = 0.05f });
        var smoothed = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [8], Epochs = 5, LearningRate = 0.05f, LabelSmoothing = 0.2f });
        plain.Fit(data);
        smoothed.Fit(data);
        // The reported loss is the smoothed one: it cannot go below the entropy of its targets (0.8667, 0.0667, 0.0667),
        // 0.4851 nats, while the plain loss on separable blobs goes well below it.
        double floor = -(0.8 + 0.2 / 3) * Math.Log(0.8 + 0.2 / 3) - 2 * (0.2 / 3) * Math.Log(0.2 / 3);
        float smoothedLoss = smoothed.LastTrainingResult!.History[^1].TrainingLoss, plainLoss = plain.LastTrainingResult!.History[^1].TrainingLoss;
        Assert.True(smoothedLoss > floor, $"smoothed loss {smoothedLoss}, floor {floor}");
        Assert.True(plainLoss < floor, $"plain loss {plainLoss}, floor {floor}");

        var regression = _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1, LabelSmoothing = 0.1f });
        Assert.Equal(nameof(DeepNetOptions.LabelSmoothing), Assert.Throws<ArgumentOutOfRangeException>(() => regression.Fit(ToyData.Regression(_ml, 20, 1))).ParamName);
        Assert.Equal(nameof(DeepNetOptions.LabelSmoothing), Assert.Throws<ArgumentOutOfRangeException>(new DeepNetOptions { LabelSmoothing = 1f }.Validate).ParamName);
    }

    [Fact]
    public void AugmentationOnFeaturesWithoutImageDimensionsNamesTheColumn()
    {
        var trainer = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1, Augmentation = new ImageAugmentation() });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(ToyData.Blobs(_ml, 30, 1)));
        Assert.Equal(nameof(DeepNetOptions.Augmentation), e.ParamName);
        Assert.Contains("'Features'", e.Message);
        Assert.Contains("[C, H, W]", e.Message);
    }
}
