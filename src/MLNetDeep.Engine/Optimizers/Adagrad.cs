using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;

namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// Adagrad (Duchi, Hazan and Singer 2011), diagonal form: <c>s += g * g; w -= lr * g / (sqrt(s) + Epsilon)</c>,
/// with <c>s</c> starting at 0. Rarely updated weights keep larger steps; every step shrinks as <c>s</c> grows.
/// </summary>
public sealed class Adagrad : Optimizer
{
    private float _epsilon = 1e-10f;

    /// <summary>Creates the optimizer with <see cref="Epsilon"/> 1e-10, PyTorch's default.</summary>
    public Adagrad(float learningRate = 0.01f)
        : base(learningRate)
    {
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.Adagrad;

    /// <summary>Added to <c>sqrt(s)</c> (outside the root) to keep the first steps finite; greater than 0.</summary>
    public float Epsilon
    {
        get => _epsilon;
        set => _epsilon = HyperParameter.Positive(value, nameof(Epsilon));
    }

    /// <inheritdoc/>
    private protected override int StateSlots => AdagradRule.Slots;

    /// <inheritdoc/>
    private protected override void Update(OptimizerStep step) =>
        step.Apply(new AdagradRule(LearningRate, _epsilon, WeightDecay), new AdagradRule(LearningRate, _epsilon, 0f));
}
