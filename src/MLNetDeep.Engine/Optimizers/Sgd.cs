using MLNetDeep.Engine.Kernels;

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
    protected override bool IsElementWise => true;

    /// <inheritdoc/>
    protected override int StateSlots => 0;

    /// <inheritdoc/>
    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, OptimizerState state, float weightDecay) =>
        OptimizerKernels.Sgd(value, gradient, LearningRate, weightDecay);
}
