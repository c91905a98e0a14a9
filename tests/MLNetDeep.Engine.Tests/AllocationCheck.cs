namespace MLNetDeep.Engine.Tests;

/// <summary>Checks that work meant for the training loop allocates nothing on the managed heap once warmed up.</summary>
internal static class AllocationCheck
{
    /// <summary>
    /// Runs <paramref name="work"/> <paramref name="warmUps"/> times (first-call allocations, JIT), then
    /// <paramref name="measured"/> times while counting the bytes this thread allocates, which must be 0.
    /// The delegate is made by the caller before the count starts, so its closure does not count.
    /// </summary>
    public static void AssertNone(Action work, int warmUps = 3, int measured = 5)
    {
        for (int i = 0; i < warmUps; i++) work();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < measured; i++) work();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in {measured} runs after warming up.");
    }
}
