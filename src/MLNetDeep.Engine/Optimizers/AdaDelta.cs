using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;

namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// AdaDelta (Zeiler 2012, Algorithm 1): the step's units come from a running mean of past squared steps,
/// <c>a = Rho * a + (1 - Rho) * g * g; d = sqrt(b + Epsilon) / sqrt(a + Epsilon) * g; b = Rho * b + (1 - Rho) * d * d;
/// w -= lr * d</c>. The paper has no learning rate; here, as in PyTorch, it multiplies the step after <c>b</c> is
/// updated with the unscaled <c>d</c>, and defaults to 1 so that the rule is the paper's.
/// </summary>
public sealed class AdaDelta : Optimizer
{
    private float _rho = 0.95f;
    private float _epsilon = 1e-6f;

    /// <summary>Creates the optimizer with <see cref="Rho"/> 0.95 and <see cref="Epsilon"/> 1e-6, the values of Zeiler's MNIST experiments.</summary>
    public AdaDelta(float learningRate = 1f)
        : base(learningRate)
    {
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.AdaDelta;

    /// <summary>The decay of both running means, in [0, 1).</summary>
    public float Rho
    {
        get => _rho;
        set => _rho = HyperParameter.AveragingCoefficient(value, nameof(Rho));
    }

    /// <summary>Added inside both roots; it also sets the size of the first steps. Greater than 0.</summary>
    public float Epsilon
    {
        get => _epsilon;
        set => _epsilon = HyperParameter.Positive(value, nameof(Epsilon));
    }

    /// <inheritdoc/>
    private protected override int StateSlots => AdaDeltaRule.Slots;

    /// <inheritdoc/>
    private protected override void Update(OptimizerStep step) =>
        step.Apply(new AdaDeltaRule(LearningRate, _rho, _epsilon, WeightDecay), new AdaDeltaRule(LearningRate, _rho, _epsilon, 0f));
}
