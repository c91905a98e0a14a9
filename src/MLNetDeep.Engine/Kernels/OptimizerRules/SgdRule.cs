using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>Plain gradient descent: <c>w -= lr * g</c>.</summary>
internal readonly struct SgdRule(float learningRate, float weightDecay) : IOptimizerRule
{
    private readonly Vector<float> _lr = new(learningRate), _decay = new(weightDecay);

    public static int Slots => 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> s0, ref Vector<float> s1)
    {
        g += _decay * w;
        w -= _lr * g;
    }
}
