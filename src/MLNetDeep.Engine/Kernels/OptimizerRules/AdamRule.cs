using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>
/// Adam (Kingma and Ba 2015, Algorithm 1), with AdamW's decoupled decay (Loshchilov and Hutter 2019) and NAdam's
/// look-ahead (Dozat 2016): <c>m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g;
/// w = w - decoupledDecay * w - (gradientStep * g + momentumStep * m) / (sqrt(v) * secondMomentScale + eps)</c>,
/// with the first moment <c>m</c> in slot 0 and the second <c>v</c> in slot 1.
/// </summary>
/// <remarks>
/// The optimizer folds the bias corrections and the learning rate into the step's scalars. For Adam,
/// <c>gradientStep = 0</c> (which leaves the result exactly as without the term), <c>momentumStep = lr / (1 - b1^t)</c>
/// and <c>secondMomentScale = 1 / sqrt(1 - b2^t)</c>: the paper's <c>lr * m_hat / (sqrt(v_hat) + eps)</c>.
/// NAdam adds the current gradient to the momentum term through <c>gradientStep</c>. With
/// <see cref="AdamTerms.Plain"/> the rule leaves out the terms of <c>weightDecay</c>, <c>decoupledDecay</c> and
/// <c>gradientStep</c>, which must then be zero.
/// </remarks>
internal readonly struct AdamRule<TTerms>(float beta1, float beta2, float epsilon, float gradientStep, float momentumStep,
    float secondMomentScale, float weightDecay, float decoupledDecay) : IOptimizerRule
    where TTerms : struct, AdamTerms.IChoice
{
    private readonly Vector<float> _b1 = new(beta1), _oneMinusB1 = new(1f - beta1), _b2 = new(beta2), _oneMinusB2 = new(1f - beta2),
        _eps = new(epsilon), _gradientStep = new(gradientStep), _momentumStep = new(momentumStep),
        _scale = new(secondMomentScale), _decay = new(weightDecay), _decoupled = new(decoupledDecay);

    public static int Slots => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> m, ref Vector<float> v)
    {
        if (TTerms.Optional) g += _decay * w;
        m = StateFloor.Flush(_b1 * m + _oneMinusB1 * g, StateFloor.Moment);
        Vector<float> squared = StateFloor.Flush(g, StateFloor.SquaredGradient);
        v = StateFloor.Flush(_b2 * v + _oneMinusB2 * squared * squared, StateFloor.MeanSquare);
        // The decoupled decay is subtracted as lr*wd*w rather than folded into a factor (1 - lr*wd):
        // near 1 a float keeps only about 7 digits, which would round a small decay by up to a few per cent.
        Vector<float> denominator = Vector.SquareRoot(v) * _scale + _eps;
        w = TTerms.Optional
            ? w - _decoupled * w - (_gradientStep * g + _momentumStep * m) / denominator
            : w - _momentumStep * m / denominator;
    }
}
