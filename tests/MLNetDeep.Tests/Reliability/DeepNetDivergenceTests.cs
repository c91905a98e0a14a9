using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;
using MLNetDeep.Tests.DeepNet;

namespace MLNetDeep.Tests.Reliability;

/// <summary>DeepNetOptions.OnDivergence: a diverging Fit throws, or returns the last good model, which saves and loads.</summary>
public sealed class DeepNetDivergenceTests
{
    private readonly MLContext _ml = new(seed: 1);

    /// <summary>The base rate until <paramref name="fromEpoch"/> (0-based), then one that makes SGD overflow.</summary>
    private sealed class ExplodeAt(int fromEpoch) : LearningRateSchedule
    {
        public override float RateAt(int epoch, float baseRate) => epoch >= fromEpoch ? 1e30f : baseRate;
    }

    private DeepNetTrainer Trainer(int epochs, LearningRateSchedule? schedule, DivergencePolicy policy) =>
        _ml.Regression.Trainers.DeepNet(new DeepNetOptions
        {
            HiddenLayers = [16], Optimizer = OptimizerKind.Sgd, LearningRate = 0.01f, Epochs = epochs, BatchSize = 20,
            LearningRateSchedule = schedule, OnDivergence = policy,
        });

    [Fact]
    public void ByDefaultADivergingFitThrows()
    {
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer(5, new ExplodeAt(2), DivergencePolicy.Throw).Fit(Synthetic.Regression(_ml, 200, seed: 1)));
        Assert.Equal(3, e.Epoch);
    }

    [Fact]
    public void RestoreBestReturnsTheModelOfTheLastFiniteEpochWhichSavesAndLoads()
    {
        var data = Synthetic.Regression(_ml, 200, seed: 1);
        var reference = Trainer(2, null, DivergencePolicy.Throw).Fit(data);
        var trainer = Trainer(5, new ExplodeAt(2), DivergencePolicy.RestoreBest);
        var model = trainer.Fit(data);

        Assert.Equal(3, trainer.LastTrainingResult!.Divergence!.Epoch);
        Assert.Equal(2, trainer.LastTrainingResult.BestEpoch);
        Assert.Equal(reference.Model.Payload.ToArray(), model.Model.Payload.ToArray());

        using var file = new MemoryStream();
        _ml.Model.Save(model, data.Schema, file);
        file.Position = 0;
        var scores = _ml.Model.Load(file, out _).Transform(data).GetColumn<float>("Score").ToArray();
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        Assert.Equal(reference.Transform(data).GetColumn<float>("Score"), scores);
    }
}
