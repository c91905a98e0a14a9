using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>Theory data: every <see cref="OptimizerKind"/>, so that a new optimizer is covered by the shared tests at once.</summary>
public static class OptimizerKinds
{
    public static TheoryData<OptimizerKind> All() => new(Enum.GetValues<OptimizerKind>());
}
