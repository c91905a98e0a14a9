using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;

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

    /// <summary>The factor of the current gradient in this step (0 for Adam; NAdam's look-ahead sets it in its <see cref="BeginStep"/>).</summary>
    private protected float GradientStep { get; set; }

    /// <summary>The factor of the first moment in this step: <c>lr / (1 - Beta1^t)</c>, the learning rate with the first moment's bias correction.</summary>
    private protected float MomentumStep { get; set; }

    /// <inheritdoc/>
    private protected override int StateSlots => AdamRule<AdamTerms.All>.Slots;

    /// <inheritdoc/>
    private protected override void BeginStep()
    {
        // The corrections are computed once per step in double (Beta^t for large t underflows gracefully there)
        // and folded into two scalars, the "more efficient" ordering the paper gives after Algorithm 1.
        double t = StepCount;
        GradientStep = 0f;
        MomentumStep = (float)(LearningRate / (1 - Math.Pow(_beta1, t)));
        _secondMomentScale = (float)(1 / Math.Sqrt(1 - Math.Pow(_beta2, t)));
    }

    /// <inheritdoc/>
    private protected override void Update(OptimizerStep step) => Apply(step, coupledDecay: WeightDecay, decoupledDecay: 0f);

    /// <summary>
    /// Runs this step's rule with the given coupled (L2 in the gradient) and decoupled (AdamW's) decay on the
    /// weights (biases take neither): the plain rule when every optional term is zero, which is Adam's default.
    /// </summary>
    private protected void Apply(OptimizerStep step, float coupledDecay, float decoupledDecay)
    {
        if (coupledDecay == 0f && decoupledDecay == 0f && GradientStep == 0f)
            step.Apply(Rule<AdamTerms.Plain>(0f, 0f), Rule<AdamTerms.Plain>(0f, 0f));
        else
            step.Apply(Rule<AdamTerms.All>(coupledDecay, decoupledDecay), Rule<AdamTerms.All>(0f, 0f));
    }

    private AdamRule<TTerms> Rule<TTerms>(float coupledDecay, float decoupledDecay)
        where TTerms : struct, AdamTerms.IChoice =>
        new(_beta1, _beta2, _epsilon, GradientStep, MomentumStep, _secondMomentScale, coupledDecay, decoupledDecay);
}
