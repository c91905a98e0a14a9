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
        for (int step = 0; step < 3; step++) optimizer.Step(parameters);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 5; step++)
        {
            optimizer.LearningRate = 0.01f / (step + 1);
            optimizer.Step(parameters);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(8, optimizer.StepCount);
    }
}
