using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>
/// Schedule values at chosen epochs against hand computations, within 1e-6 relative: float32 rounding of the
/// arguments (0.9f is 0.9 - 2.4e-8, and its tenth power is 2.6e-7 off) and of the result.
/// </summary>
public class LearningRateScheduleTests
{
    private static void AssertRate(double expected, float actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-6 * expected, $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void ConstantKeepsTheBaseRate()
    {
        var schedule = new ConstantSchedule();
        Assert.Equal(0.1f, schedule.RateAt(0, 0.1f));
        Assert.Equal(0.1f, schedule.RateAt(1000, 0.1f));
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(2, 0.1)]
    [InlineData(3, 0.05)]
    [InlineData(5, 0.05)]
    [InlineData(6, 0.025)]
    [InlineData(10, 0.0125)] // floor(10 / 3) = 3 halvings
    public void StepHalvesEveryThreeEpochs(int epoch, double expected) =>
        AssertRate(expected, new StepSchedule(stepEpochs: 3, gamma: 0.5f).RateAt(epoch, 0.1f));

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(1, 0.09)]
    [InlineData(2, 0.081)]
    [InlineData(10, 0.034867844)] // 0.1 * 0.9^10 = 0.0348678440100
    public void ExponentialMultipliesByGammaEachEpoch(int epoch, double expected) =>
        AssertRate(expected, new ExponentialSchedule(0.9f).RateAt(epoch, 0.1f));

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(2, 0.0905463412)]  // 0.001 + 0.099 * (1 + cos 36 deg) / 2, cos 36 deg = (1 + sqrt 5) / 4
    [InlineData(5, 0.0505)]        // half way: the mean of 0.1 and 0.001
    [InlineData(8, 0.0104536588)]  // 0.001 + 0.099 * (1 - cos 36 deg) / 2
    [InlineData(10, 0.001)]
    [InlineData(25, 0.001)]        // no restart: the minimum stays
    public void CosineAnnealsFromBaseToMinimum(int epoch, double expected) =>
        AssertRate(expected, new CosineSchedule(totalEpochs: 10, minRate: 0.001f).RateAt(epoch, 0.1f));

    [Fact]
    public void SchedulesRefuseInvalidArguments()
    {
        Assert.Equal("stepEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(0, 0.5f)).ParamName);
        foreach (float gamma in new[] { 0f, -0.5f, 1.5f, float.NaN })
        {
            Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepSchedule(3, gamma)).ParamName);
            Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialSchedule(gamma)).ParamName);
        }
        Assert.Equal("totalEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0)).ParamName);
        Assert.Equal("minRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(10, -0.001f)).ParamName);
        Assert.Equal("minRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(10, float.NaN)).ParamName);

        LearningRateSchedule[] schedules = [new ConstantSchedule(), new StepSchedule(3, 0.5f), new ExponentialSchedule(0.9f), new CosineSchedule(10)];
        foreach (LearningRateSchedule schedule in schedules)
        {
            Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => schedule.RateAt(-1, 0.1f)).ParamName);
            foreach (float baseRate in new[] { 0f, -0.1f, float.NaN, float.PositiveInfinity })
                Assert.Equal("baseRate", Assert.Throws<ArgumentOutOfRangeException>(() => schedule.RateAt(0, baseRate)).ParamName);
        }
        Assert.Equal("baseRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(10, 0.5f).RateAt(0, 0.1f)).ParamName);
    }
}
