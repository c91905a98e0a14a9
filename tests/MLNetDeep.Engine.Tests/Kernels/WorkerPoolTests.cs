using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Tests.Kernels;

public sealed class WorkerPoolTests
{
    // A pool of its own, so that these tests neither wait for nor disturb the kernels' pool.
    private static readonly WorkerPool[] s_pools = [new(1), new(2), new(3), new(4)];

    [Fact]
    public void EveryPartRunsExactlyOnceInEveryRun()
    {
        // Many short runs back to back: workers that wake late for one run must neither miss
        // the next nor run a part of a run that has closed.
        var work = new CountingWork(parts: 7);
        for (int run = 0; run < 3000; run++)
        {
            work.Clear();
            Assert.True(s_pools[run % 4].TryRun(work, parts: 7));
            for (int part = 0; part < 7; part++) Assert.Equal(1, work.Count(part));
        }
    }

    [Fact]
    public void AFailingPartIsRethrownToTheCaller()
    {
        var work = new FailingWork(failingPart: 3);
        var error = Assert.Throws<InvalidOperationException>(() => s_pools[1].TryRun(work, parts: 8));
        Assert.Equal("part 3", error.Message);
        // The pool is usable afterwards.
        var counting = new CountingWork(parts: 4);
        Assert.True(s_pools[1].TryRun(counting, parts: 4));
        Assert.Equal(4, Enumerable.Range(0, 4).Sum(counting.Count));
    }

    private sealed class CountingWork(int parts) : IParallelWork
    {
        private readonly int[] _counts = new int[parts];

        public void Run(int part)
        {
            // Long enough that a worker is often still inside a part when the caller runs out.
            Thread.SpinWait(100);
            Interlocked.Increment(ref _counts[part]);
        }

        public int Count(int part) => Volatile.Read(ref _counts[part]);

        public void Clear() => Array.Clear(_counts);
    }

    private sealed class FailingWork(int failingPart) : IParallelWork
    {
        public void Run(int part)
        {
            if (part == failingPart) throw new InvalidOperationException($"part {part}");
        }
    }
}
