using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>
/// RMSProp (Tieleman and Hinton 2012, lecture 6e): <c>s = rho * s + (1 - rho) * g * g; w -= lr * g / (sqrt(s) + eps)</c>,
/// with the mean square <c>s</c> in slot 0.
/// </summary>
internal readonly struct RmsPropRule(float learningRate, float rho, float epsilon, float weightDecay) : IOptimizerRule
{
    private readonly Vector<float> _lr = new(learningRate), _rho = new(rho), _oneMinusRho = new(1f - rho),
        _eps = new(epsilon), _decay = new(weightDecay);

    public static int Slots => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> mean, ref Vector<float> unused)
    {
        g += _decay * w;
        Vector<float> squared = StateFloor.Flush(g, StateFloor.SquaredGradient);
        mean = StateFloor.Flush(_rho * mean + _oneMinusRho * squared * squared, StateFloor.MeanSquare);
        w -= _lr * g / (Vector.SquareRoot(mean) + _eps);
    }
}
