using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;

namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// Heavy-ball momentum (Polyak 1964) in the form PyTorch's SGD uses without dampening:
/// <c>v = Mu * v + g; w -= lr * v</c>, with <c>v</c> starting at 0 (so the first step is <c>v = g</c>).
/// Keeping the learning rate outside the velocity lets a schedule change it without rescaling <c>v</c>.
/// </summary>
public class Momentum : Optimizer
{
    private float _mu = 0.9f;

    /// <summary>Creates the optimizer with <see cref="Mu"/> 0.9, the value of Sutskever et al. (2013) and most references.</summary>
    public Momentum(float learningRate = 0.01f)
        : base(learningRate)
    {
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.Momentum;

    /// <summary>The momentum coefficient, in [0, 1); 0 reduces the rule to plain SGD.</summary>
    public float Mu
    {
        get => _mu;
        set => _mu = HyperParameter.AveragingCoefficient(value, nameof(Mu));
    }

    /// <inheritdoc/>
    private protected override int StateSlots => MomentumRule.Slots;

    /// <inheritdoc/>
    private protected override void Update(OptimizerStep step) =>
        step.Apply(new MomentumRule(LearningRate, _mu, WeightDecay, LooksAhead), new MomentumRule(LearningRate, _mu, 0f, LooksAhead));

    /// <summary>True for <see cref="Nesterov"/>: the step looks ahead along the new velocity.</summary>
    private protected virtual bool LooksAhead => false;
}
