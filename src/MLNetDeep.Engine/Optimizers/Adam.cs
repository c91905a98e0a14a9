using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015, Algorithm 1): running means of the gradient and of its square, corrected for their
/// start at 0, <c>m = Beta1 * m + (1 - Beta1) * g; v = Beta2 * v + (1 - Beta2) * g * g;
/// w -= lr * m_hat / (sqrt(v_hat) + Epsilon)</c> with <c>m_hat = m / (1 - Beta1^t)</c> and <c>v_hat = v / (1 - Beta2^t)</c>.
/// </summary>
public class Adam : Optimizer
{
    private float _beta1 = 0.9f;
    private float _beta2 = 0.999f;
    private float _epsilon = 1e-8f;
    private float _stepSize;
    private float _secondMomentScale;

    /// <summary>Creates the optimizer with the paper's defaults: learning rate 0.001, Beta1 0.9, Beta2 0.999, Epsilon 1e-8.</summary>
    public Adam(float learningRate = 0.001f)
        : base(learningRate)
    {
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.Adam;

    /// <summary>The decay of the running mean of gradients, in [0, 1).</summary>
    public float Beta1
    {
        get => _beta1;
        set => _beta1 = HyperParameter.AveragingCoefficient(value, nameof(Beta1));
    }

    /// <summary>The decay of the running mean of squared gradients, in [0, 1).</summary>
    public float Beta2
    {
        get => _beta2;
        set => _beta2 = HyperParameter.AveragingCoefficient(value, nameof(Beta2));
    }

    /// <summary>Added to <c>sqrt(v_hat)</c> (outside the root, as in the paper) to keep the step finite; greater than 0.</summary>
    public float Epsilon
    {
        get => _epsilon;
        set => _epsilon = HyperParameter.Positive(value, nameof(Epsilon));
    }

    /// <summary><c>1 / sqrt(1 - Beta2^t)</c> for the current step: the second moment's bias correction, under the root.</summary>
    private protected float SecondMomentScale => _secondMomentScale;

    /// <inheritdoc/>
    protected override bool IsElementWise => true;

    /// <inheritdoc/>
    protected override int StateSlots => 2;

    /// <inheritdoc/>
    protected override void BeginStep()
    {
        // The corrections are computed once per step in double (Beta^t for large t underflows gracefully there)
        // and folded into two scalars, the "more efficient" ordering the paper gives after Algorithm 1.
        double t = StepCount;
        _stepSize = (float)(LearningRate / (1 - Math.Pow(_beta1, t)));
        _secondMomentScale = (float)(1 / Math.Sqrt(1 - Math.Pow(_beta2, t)));
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, OptimizerState state, float weightDecay) =>
        UpdateAdam(value, gradient, state, weightDecay, decoupledDecay: 0f);

    /// <summary>Runs the Adam kernel with the given coupled and decoupled decay, for <see cref="AdamW"/>.</summary>
    private protected void UpdateAdam(Span<float> value, ReadOnlySpan<float> gradient, OptimizerState state, float coupledDecay, float decoupledDecay) =>
        OptimizerKernels.Adam(value, gradient, state[0], state[1], _beta1, _beta2, _epsilon, _stepSize, _secondMomentScale,
            coupledDecay, decoupledDecay);
}
