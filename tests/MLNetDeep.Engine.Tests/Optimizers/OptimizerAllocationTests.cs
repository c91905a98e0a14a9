using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>A training step must not allocate once warmed up: the garbage collector would otherwise run during training.</summary>
public class OptimizerAllocationTests
{
    [Theory]
    [MemberData(nameof(OptimizerKinds.All), MemberType = typeof(OptimizerKinds))]
    public void StepAllocatesNothingAfterTheFirst(OptimizerKind kind)
    {
        // 61 x 67 = 4087 weights and 61 biases: a few thousand elements, with a vector tail.
        Parameter[] parameters = [new("weight", 61, 67, isWeight: true), new("bias", 1, 61, isWeight: false)];
        var rng = new Rng(7);
        foreach (Parameter p in parameters)
            for (int i = 0; i < p.Length; i++) (p.Value[i], p.Gradient[i]) = (rng.NextGaussian(), rng.NextGaussian());
        Optimizer optimizer = Optimizer.Create(kind, 0.01f);
        optimizer.WeightDecay = 0.001f;
        int epoch = 0;

        AllocationCheck.AssertNone(() =>
        {
            optimizer.LearningRate = 0.01f / ++epoch; // as a schedule would
            optimizer.Step(parameters);
        }, warmUps: 3, measured: 5);

        Assert.Equal(8, optimizer.StepCount);
    }
}
