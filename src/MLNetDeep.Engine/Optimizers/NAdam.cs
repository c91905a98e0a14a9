namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// NAdam (Dozat 2016, "Incorporating Nesterov Momentum into Adam", Algorithm 2 with its momentum schedule), in the
/// variant of PyTorch and Keras: with <c>mu_t = Beta1 * (1 - 0.5 * 0.96^(t * MomentumDecay))</c> and
/// <c>P_t = mu_1 * ... * mu_t</c>, the moments run as in Adam (with the constant Beta1) and
/// <c>w -= lr * [(1 - mu_t) / (1 - P_t) * g + mu_{t+1} / (1 - P_t * mu_{t+1}) * m] / (sqrt(v / (1 - Beta2^t)) + Epsilon)</c>:
/// the bias-corrected momentum of the next step is applied now, which is Nesterov's look-ahead.
/// </summary>
public sealed class NAdam : Adam
{
    private float _momentumDecay = 0.004f;
    private double _muProduct = 1;
    private long _muProductStep;

    /// <summary>
    /// Creates the optimizer with learning rate 0.002 (the paper's and PyTorch's), Beta1 0.9, Beta2 0.999,
    /// Epsilon 1e-8 and <see cref="MomentumDecay"/> 0.004 (the paper's 0.96^(t/250)).
    /// </summary>
    public NAdam(float learningRate = 0.002f)
        : base(learningRate)
    {
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.NAdam;

    /// <summary>The rate <c>psi</c> at which the momentum schedule warms up to Beta1; at least 0.</summary>
    public float MomentumDecay
    {
        get => _momentumDecay;
        set => _momentumDecay = HyperParameter.NonNegative(value, nameof(MomentumDecay));
    }

    /// <inheritdoc/>
    private protected override void BeginStep()
    {
        base.BeginStep();
        long t = StepCount;
        // P_t is a running product, as in the paper. After ReadState or ResetState the optimizer is at another step
        // than the product: it is rebuilt by the same sequence of double products, so a restored run continues bit
        // for bit.
        if (_muProductStep != t - 1)
        {
            _muProduct = 1;
            for (long s = 1; s < t; s++)
                _muProduct *= MomentumAt(s);
        }
        double mu = MomentumAt(t), muNext = MomentumAt(t + 1);
        _muProduct *= mu;
        _muProductStep = t;
        GradientStep = (float)(LearningRate * (1 - mu) / (1 - _muProduct));
        MomentumStep = (float)(LearningRate * muNext / (1 - _muProduct * muNext));
    }

    private double MomentumAt(long step) => Beta1 * (1 - 0.5 * Math.Pow(0.96, step * (double)_momentumDecay));
}
