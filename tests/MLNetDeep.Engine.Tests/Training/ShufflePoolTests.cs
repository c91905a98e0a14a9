using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

public class ShufflePoolTests
{
    /// <summary>One pass of <paramref name="count"/> samples whose single feature is their index, through a pool.</summary>
    private static List<int> Pass(int count, int capacity, ulong seed)
    {
        var stream = SampleStream.FromFunction(count, TensorShape.Vector(1), 1, (i, f, t) => { f[0] = i; t[0] = 0; });
        var pool = new ShufflePool(capacity, 1, 1);
        using var cursor = stream.Open();
        pool.Start(cursor, new Rng(seed));
        var order = new List<int>();
        float[] f = new float[1], t = new float[1];
        while (pool.Next(f, t, out float weight))
        {
            Assert.Equal(1f, weight);
            order.Add((int)f[0]);
        }
        return order;
    }

    [Fact]
    public void GivesEverySampleOnceInAnOrderTheSeedFixes()
    {
        var order = Pass(1000, 64, 7);
        Assert.Equal(Enumerable.Range(0, 1000), order.Order());
        Assert.Equal(order, Pass(1000, 64, 7));
        Assert.NotEqual(order, Pass(1000, 64, 8));
        Assert.NotEqual(Enumerable.Range(0, 1000), order);
    }

    [Fact]
    public void ASampleMovesBackByLessThanThePool()
    {
        // Sample i cannot leave before the pool has read it: it is given out at position i - capacity + 1 or later.
        const int capacity = 32;
        var order = Pass(2000, capacity, 3);
        for (int position = 0; position < order.Count; position++)
            Assert.True(position >= order[position] - capacity + 1, $"sample {order[position]} given out at {position}");
    }

    [Fact]
    public void APoolLargerThanTheStreamIsAFullShuffle()
    {
        var order = Pass(10, 100, 1);
        Assert.Equal(Enumerable.Range(0, 10), order.Order());
        Assert.Equal(order, Pass(10, 100, 1));
    }

    [Fact]
    public void APoolOfOneKeepsTheStreamOrder() => Assert.Equal(Enumerable.Range(0, 50), Pass(50, 1, 9));
}
