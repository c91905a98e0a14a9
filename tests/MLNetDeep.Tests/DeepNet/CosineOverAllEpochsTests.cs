using MLNetDeep.Engine.Training;

namespace MLNetDeep.Tests.DeepNet;

/// <summary>
/// CosineSchedule.OverAllEpochs: the length comes from DeepNetOptions.Epochs. Expected rates are the
/// annealing formula worked by hand, rate = min + (base - min)(1 + cos(pi e / T)) / 2, for T = 4.
/// </summary>
public sealed class CosineOverAllEpochsTests
{
    [Fact]
    public void DeepNetOptionsGiveTheScheduleItsEpochs()
    {
        var options = new DeepNetOptions { Epochs = 4, LearningRate = 1f, LearningRateSchedule = CosineSchedule.OverAllEpochs() };
        var schedule = options.ToTrainerOptions().Schedule!;
        // cos(0) = 1, cos(pi/4) = sqrt(2)/2, cos(pi/2) = 0, cos(3 pi/4) = -sqrt(2)/2.
        double[] expected = [1, (1 + Math.Sqrt(2) / 2) / 2, 0.5, (1 - Math.Sqrt(2) / 2) / 2];
        for (int epoch = 0; epoch < 4; epoch++)
            Assert.Equal(expected[epoch], schedule.RateAt(epoch, 1f), 6);
    }

    [Fact]
    public void TheMinimumRateIsKept()
    {
        var options = new DeepNetOptions { Epochs = 4, LearningRateSchedule = CosineSchedule.OverAllEpochs(0.1f) };
        // Half-way: 0.1 + (1 - 0.1) * (1 + 0) / 2 = 0.55.
        Assert.Equal(0.55, options.ToTrainerOptions().Schedule!.RateAt(2, 1f), 6);
    }

    [Fact]
    public void AScheduleGivenItsLengthKeepsIt()
    {
        var fixedLength = new CosineSchedule(8);
        Assert.Same(fixedLength, new DeepNetOptions { Epochs = 4, LearningRateSchedule = fixedLength }.ToTrainerOptions().Schedule);
    }

    [Fact]
    public void WithoutItsRunsEpochsTheScheduleRefusesToAnswer()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CosineSchedule.OverAllEpochs().RateAt(0, 1f));
        Assert.Contains("ForEpochs", error.Message);
    }
}
