using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2): Adam whose weight decay
/// shrinks the weights directly instead of entering the gradient, so that Adam's per-element scaling does not weaken it:
/// <c>w -= lr * WeightDecay * w</c>, then the Adam step computed from the bare gradient. As in PyTorch, the decay is
/// multiplied by the learning rate (the paper's schedule multiplier times its <c>lambda</c>), and here it applies to
/// weights only, never to biases.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer with Adam's defaults and <see cref="Optimizer.WeightDecay"/> 0.01, PyTorch's default.</summary>
    public AdamW(float learningRate = 0.001f)
        : base(learningRate)
    {
        WeightDecay = 0.01f;
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.AdamW;

    /// <inheritdoc/>
    private protected override void Update(OptimizerStep step) =>
        Apply(step, coupledDecay: 0f, decoupledDecay: (float)((double)LearningRate * WeightDecay));
}
