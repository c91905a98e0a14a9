using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>Adagrad (Duchi, Hazan and Singer 2011): <c>s += g * g; w -= lr * g / (sqrt(s) + eps)</c>, with the sum <c>s</c> in slot 0.</summary>
internal readonly struct AdagradRule(float learningRate, float epsilon, float weightDecay) : IOptimizerRule
{
    private readonly Vector<float> _lr = new(learningRate), _eps = new(epsilon), _decay = new(weightDecay);

    public static int Slots => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> sum, ref Vector<float> unused)
    {
        g += _decay * w;
        Vector<float> squared = StateFloor.Flush(g, StateFloor.SquaredGradient);
        sum += squared * squared;
        w -= _lr * g / (Vector.SquareRoot(sum) + _eps);
    }
}
