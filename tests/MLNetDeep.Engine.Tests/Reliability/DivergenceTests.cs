using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Reliability;

/// <summary>A run whose loss turns NaN or infinite either throws or gives back the best finite weights; NaN is never saved.</summary>
public sealed class DivergenceTests
{
    /// <summary>A sane rate until <paramref name="fromEpoch"/> (0-based), then one that makes SGD explode.</summary>
    private sealed class ExplodeAt(int fromEpoch) : LearningRateSchedule
    {
        public override float RateAt(int epoch, float baseRate) => epoch >= fromEpoch ? 1e30f : baseRate;
    }

    private static InMemoryDataset Data()
    {
        var rng = new Rng(2);
        var x = new float[200 * 4];
        var y = new float[200];
        for (int i = 0; i < 200; i++)
        {
            for (int j = 0; j < 4; j++) x[i * 4 + j] = rng.NextFloat(-1, 1);
            y[i] = x[i * 4] - 2 * x[i * 4 + 1] + 0.5f;
        }
        return new InMemoryDataset(x, y, TensorShape.Vector(4));
    }

    private static NetworkTrainer Trainer(int epochs, LearningRateSchedule? schedule, DivergencePolicy policy, float validation = 0, int patience = 0) => new(
        new Network(TensorShape.Vector(4), [new Dense(8), new Tanh(), new Dense(1)], new MeanSquaredError(), seed: 3),
        new Sgd(0.05f),
        new TrainerOptions { Epochs = epochs, BatchSize = 20, Seed = 4, Schedule = schedule, OnDivergence = policy, ValidationFraction = validation, EarlyStoppingPatience = patience });

    [Fact]
    public void ThrowIsTheDefaultAndNamesTheEpoch()
    {
        Assert.Equal(DivergencePolicy.Throw, new TrainerOptions().OnDivergence);
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer(5, new ExplodeAt(2), DivergencePolicy.Throw).Fit(Data()));
        Assert.Equal(3, e.Epoch);
        Assert.Contains("epoch 3", e.Message);
    }

    [Fact]
    public void RestoreBestGivesBackTheLastFiniteEpochBitForBit()
    {
        var reference = Trainer(2, null, DivergencePolicy.Throw);
        reference.Fit(Data()); // the same run, stopped before the rate explodes

        var trainer = Trainer(5, new ExplodeAt(2), DivergencePolicy.RestoreBest);
        var result = trainer.Fit(Data());

        Assert.NotNull(result.Divergence);
        Assert.Equal(3, result.Divergence!.Epoch);
        Assert.Equal(2, result.BestEpoch);
        Assert.Equal(2, result.History.Count);
        Assert.True(trainer.Network.Parameters.All(p => p.Value.All(float.IsFinite)));
        Assert.Equal(NetworkSerializer.ToBytes(reference.Network), NetworkSerializer.ToBytes(trainer.Network));
    }

    [Fact]
    public void RestoreBestGivesBackTheBestValidationEpochWhenEarlyStoppingTracksOne()
    {
        var trainer = Trainer(6, new ExplodeAt(4), DivergencePolicy.RestoreBest, validation: 0.25f, patience: 10);
        var result = trainer.Fit(Data());
        Assert.Equal(5, result.Divergence?.Epoch);
        int best = 1 + result.History.Select((h, i) => (h.ValidationLoss!.Value, i)).Min().i;
        Assert.Equal(best, result.BestEpoch);

        // The same run stopped after the best epoch ends with that epoch's weights.
        var reference = Trainer(best, null, DivergencePolicy.Throw, validation: 0.25f, patience: 10);
        reference.Fit(Data());
        Assert.Equal(NetworkSerializer.ToBytes(reference.Network), NetworkSerializer.ToBytes(trainer.Network));
    }

    [Fact]
    public void RestoreBestStillThrowsWhenTheFirstEpochDiverges()
    {
        var e = Assert.Throws<TrainingDivergedException>(() => Trainer(3, new ExplodeAt(0), DivergencePolicy.RestoreBest).Fit(Data()));
        Assert.Equal(1, e.Epoch);
    }

    [Fact]
    public void ANetworkWithANonFiniteWeightIsNeverSaved()
    {
        string directory = Directory.CreateTempSubdirectory("mlnetdeep-nan-").FullName;
        try
        {
            var network = new Network(TensorShape.Vector(4), [new Dense(3), new Relu(), new Dense(1)], new MeanSquaredError());
            string path = Path.Combine(directory, "net.mlnd");
            network.Save(path);
            byte[] good = File.ReadAllBytes(path);

            network.Parameters[2].Value[1] = float.NaN;
            var e = Assert.Throws<InvalidOperationException>(() => network.Save(path));
            Assert.Contains("non-finite", e.Message);
            Assert.Contains("Dense(1)", e.Message);
            Assert.Throws<InvalidOperationException>(() => network.Save(new MemoryStream()));
            network.Parameters[2].Value[1] = float.PositiveInfinity;
            Assert.Throws<InvalidOperationException>(() => NetworkSerializer.ToBytes(network));

            Assert.Equal(good, File.ReadAllBytes(path)); // the earlier file is untouched
            Assert.Single(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
