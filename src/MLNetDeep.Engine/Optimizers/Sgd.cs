using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;

namespace MLNetDeep.Engine.Optimizers;

/// <summary>Plain stochastic gradient descent (Robbins and Monro 1951): <c>w -= lr * g</c>. Keeps no state.</summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates the optimizer; 0.01 is a common starting rate for plain SGD.</summary>
    public Sgd(float learningRate = 0.01f)
        : base(learningRate)
    {
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.Sgd;

    /// <inheritdoc/>
    private protected override int StateSlots => SgdRule.Slots;

    /// <inheritdoc/>
    private protected override void Update(OptimizerStep step) =>
        step.Apply(new SgdRule(LearningRate, WeightDecay), new SgdRule(LearningRate, 0f));
}
