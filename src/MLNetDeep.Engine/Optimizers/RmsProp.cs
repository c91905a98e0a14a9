using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;

namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// RMSProp (Tieleman and Hinton 2012, Coursera lecture 6e): divide the gradient by a running root mean square,
/// <c>s = Rho * s + (1 - Rho) * g * g; w -= lr * g / (sqrt(s) + Epsilon)</c>, with <c>s</c> starting at 0 and
/// Epsilon outside the root as in PyTorch.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private float _rho = 0.9f;
    private float _epsilon = 1e-8f;

    /// <summary>Creates the optimizer with <see cref="Rho"/> 0.9 (the lecture's value), <see cref="Epsilon"/> 1e-8 and a learning rate of 0.001 (Keras' default).</summary>
    public RmsProp(float learningRate = 0.001f)
        : base(learningRate)
    {
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.RmsProp;

    /// <summary>The decay of the running mean of squared gradients, in [0, 1).</summary>
    public float Rho
    {
        get => _rho;
        set => _rho = HyperParameter.AveragingCoefficient(value, nameof(Rho));
    }

    /// <summary>Added to the root mean square to keep the step finite; greater than 0.</summary>
    public float Epsilon
    {
        get => _epsilon;
        set => _epsilon = HyperParameter.Positive(value, nameof(Epsilon));
    }

    /// <inheritdoc/>
    private protected override int StateSlots => RmsPropRule.Slots;

    /// <inheritdoc/>
    private protected override void Update(OptimizerStep step) =>
        step.Apply(new RmsPropRule(LearningRate, _rho, _epsilon, WeightDecay), new RmsPropRule(LearningRate, _rho, _epsilon, 0f));
}
