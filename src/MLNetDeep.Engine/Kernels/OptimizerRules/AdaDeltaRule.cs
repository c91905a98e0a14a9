using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>
/// AdaDelta (Zeiler 2012, Algorithm 1), with the learning rate as a final multiplier as in PyTorch:
/// <c>a = rho * a + (1 - rho) * g * g; d = sqrt(b + eps) / sqrt(a + eps) * g; b = rho * b + (1 - rho) * d * d; w -= lr * d</c>,
/// with the mean square gradient <c>a</c> in slot 0 and the mean square step <c>b</c> in slot 1.
/// </summary>
internal readonly struct AdaDeltaRule(float learningRate, float rho, float epsilon, float weightDecay) : IOptimizerRule
{
    private readonly Vector<float> _lr = new(learningRate), _rho = new(rho), _oneMinusRho = new(1f - rho),
        _eps = new(epsilon), _decay = new(weightDecay);

    public static int Slots => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> meanGradient, ref Vector<float> meanDelta)
    {
        g += _decay * w;
        Vector<float> squared = StateFloor.Flush(g, StateFloor.SquaredGradient);
        meanGradient = StateFloor.Flush(_rho * meanGradient + _oneMinusRho * squared * squared, StateFloor.MeanSquare);
        Vector<float> delta = Vector.SquareRoot(meanDelta + _eps) / Vector.SquareRoot(meanGradient + _eps) * g;
        Vector<float> squaredDelta = StateFloor.Flush(delta, StateFloor.SquaredGradient);
        meanDelta = StateFloor.Flush(_rho * meanDelta + _oneMinusRho * squaredDelta * squaredDelta, StateFloor.MeanSquare);
        w -= _lr * delta;
    }
}
