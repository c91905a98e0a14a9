using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

public class StratifiedSplitTests
{
    private static InMemoryDataset Classes(params int[] counts)
    {
        var y = counts.SelectMany((n, c) => Enumerable.Repeat((float)c, n)).ToArray();
        return new InMemoryDataset(new float[y.Length], y, TensorShape.Vector(1));
    }

    [Fact]
    public void HoldsEachClassOutInItsShare()
    {
        // 90, 7 and 3 samples, 20 held out: exact shares 18, 1.4 and 0.6; largest remainders give the last one to the 0.6.
        var data = Classes(90, 7, 3);
        var options = new TrainerOptions { ValidationFraction = 0.2f, StratifyValidationSplit = true, Seed = 4 };
        var run = TrainingRun.Start(options, data.Count, null, StratifiedSplit.Strata(data));
        var heldClasses = run.ValidIndices.Select(i => (int)Read(data, i)).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(20, run.ValidIndices.Length);
        Assert.Equal(18, heldClasses[0]);
        Assert.Equal(1, heldClasses[1]);
        Assert.Equal(1, heldClasses[2]);
        Assert.Equal(Enumerable.Range(0, 100), run.TrainIndices.Concat(run.ValidIndices).Order());
    }

    [Fact]
    public void TheSplitIsTheSameForTheSameSeed()
    {
        var data = Classes(50, 30, 20);
        var options = new TrainerOptions { ValidationFraction = 0.3f, StratifyValidationSplit = true, Seed = 4 };
        var first = TrainingRun.Start(options, data.Count, null, StratifiedSplit.Strata(data));
        var second = TrainingRun.Start(options, data.Count, null, StratifiedSplit.Strata(data));
        Assert.Equal(first.ValidIndices, second.ValidIndices);
        Assert.Equal(first.TrainIndices, second.TrainIndices);
    }

    [Fact]
    public void ExactSharesAreHeldExactly()
    {
        // 95 of class 0 and 5 of class 1, 20 held out: shares of exactly 19 and 1.
        var data = Classes(95, 5);
        var run = TrainingRun.Start(new TrainerOptions { ValidationFraction = 0.2f, StratifyValidationSplit = true, Seed = 11 }, data.Count, null, StratifiedSplit.Strata(data));
        Assert.Equal(1, run.ValidIndices.Count(i => Read(data, i) == 1f));
        Assert.Equal(19, run.ValidIndices.Count(i => Read(data, i) == 0f));
    }

    private static float Read(Dataset data, int index)
    {
        var target = new float[1];
        data.ReadTargets(index, target);
        return target[0];
    }
}
