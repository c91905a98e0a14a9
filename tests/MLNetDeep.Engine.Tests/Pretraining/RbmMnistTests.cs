using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Tests.Training;
using Xunit.Abstractions;

namespace MLNetDeep.Engine.Tests.Pretraining;

public class RbmMnistTests(ITestOutputHelper output)
{
    [Fact]
    public void BernoulliRbmHalvesItsReconstructionErrorOnTheDigits()
    {
        var (train, _) = MnistTests.Digits();
        var subset = train.Slice(0, 3000);
        var rbm = new BernoulliRbm(784, 256, seed: 1);
        var reports = new List<RbmEpochReport>();
        var progress = new ReportCollector(reports, output);
        rbm.Train(subset, new RbmTrainingOptions { Epochs = 8, BatchSize = 100, LearningRate = 0.1f, Momentum = 0.5f, Seed = 1 }, progress);

        Assert.Equal(8, reports.Count);
        double first = reports[0].ReconstructionError, last = reports[^1].ReconstructionError;
        Assert.True(last <= first / 2, $"reconstruction error {first:F5} after epoch 1, {last:F5} after epoch 8");
        Assert.True(reports[^1].MeanFreeEnergy < reports[0].MeanFreeEnergy, "the training samples' free energy should fall");
    }
}
