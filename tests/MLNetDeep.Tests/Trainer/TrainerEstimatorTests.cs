using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Tests.Trainer;

public sealed class TrainerEstimatorTests
{
    private readonly MLContext _ml = new(seed: 1);

    /// <summary>Generic code as ML.NET's own helpers are written: it knows only the interfaces.</summary>
    private static (TModel Model, string FeatureColumn, IDataView Scored) FitThroughTheInterface<TTransformer, TModel>(
        ITrainerEstimator<TTransformer, TModel> trainer, IDataView train)
        where TTransformer : class, ISingleFeaturePredictionTransformer<TModel>
        where TModel : class
    {
        IEstimator<TTransformer> estimator = trainer;
        TTransformer transformer = estimator.Fit(train);
        return (transformer.Model, transformer.FeatureColumnName, transformer.Transform(train));
    }

    private static bool InfoFlag(TrainerInfo info, string name) =>
        (bool)typeof(TrainerInfo).GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(info)!;

    [Fact]
    public void ATrainerFitsThroughCodeWrittenOnlyAgainstITrainerEstimator()
    {
        var train = ToyData.Regression(_ml, 200, 1);
        ITrainerEstimator<NetworkPredictionTransformer, NetworkModelParameters> trainer =
            _ml.Regression.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [8], Epochs = 3, Seed = 2 });
        var (model, featureColumn, scored) = FitThroughTheInterface(trainer, train);

        Assert.Equal("Features", featureColumn);
        Assert.NotNull(scored.Schema.GetColumnOrNull("Score"));
        // 4 features -> input scaling -> Dense(8) -> ReLU -> Dense(1) -> the label's scaling: 4 x 8 + 8 and 8 x 1 + 1 parameters.
        Assert.Equal(49, model.ParameterCount);
        Assert.Equal(["FeatureScaling(clip 3)", "Dense(8)", "Relu", "Dense(1)", "FeatureScaling"], model.Layers.Select(l => l.Layer));
        Assert.Equal([new TensorShape(4), new TensorShape(4), new TensorShape(8), new TensorShape(8), new TensorShape(1)], model.Layers.Select(l => l.InputShape));
        Assert.Equal([new TensorShape(4), new TensorShape(8), new TensorShape(8), new TensorShape(1), new TensorShape(1)], model.Layers.Select(l => l.OutputShape));
        Assert.Equal([0L, 40L, 0L, 9L, 0L], model.Layers.Select(l => l.ParameterCount));
        Assert.Equal([1, 2, 3], model.TrainingHistory.Select(r => r.Epoch));
        Assert.Contains("49 parameters", model.ToString());
        Assert.Contains("Dense(8): [4] -> [8]", model.ToString());
    }

    [Fact]
    public void InfoTellsWhatTheTrainerDoes()
    {
        var trainer = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [8], Epochs = 2 });
        TrainerInfo info = trainer.Info;
        Assert.True(info.NeedNormalization);
        Assert.False(info.WantCaching);
        Assert.False(InfoFlag(info, "NeedCalibration"));
        Assert.True(InfoFlag(info, "SupportsValidation"));
        Assert.True(InfoFlag(info, "SupportsIncrementalTraining"));
        Assert.False(InfoFlag(info, "SupportsTest"));

        // No cache wanted: the rows are read in one pass (the row count is known here).
        var train = new CountingView(ToyData.Blobs(_ml, 90, 1));
        var validation = ToyData.Blobs(_ml, 30, 2);
        var model = trainer.Fit(train, validation);
        Assert.Equal(1, train.Passes);
        // Validation supported: each epoch reports the given set's loss.
        Assert.All(model.Model.TrainingHistory, r => Assert.NotNull(r.ValidationLoss));
        // Incremental training supported: a fitted model continues.
        var continued = trainer.Fit(train, model.Model);
        Assert.Equal(4, continued.Model.TrainingHistory.Count);
    }

    [Fact]
    public void TheBinaryAndMulticlassTrainersAreTrainerEstimatorsToo()
    {
        ITrainerEstimator<NetworkPredictionTransformer, NetworkModelParameters> binary = _ml.BinaryClassification.Trainers.DeepNet();
        ITrainerEstimator<NetworkPredictionTransformer, NetworkModelParameters> multiclass = _ml.MulticlassClassification.Trainers.DeepNet();
        var blobs = ToyData.Blobs(_ml, 60, 3);
        var (model, _, scored) = FitThroughTheInterface(multiclass, blobs);
        Assert.Equal(3, model.OutputSize);
        Assert.NotNull(scored.Schema.GetColumnOrNull("PredictedLabel"));
        Assert.True(binary.Info.NeedNormalization);
    }
}
