using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>
/// Momentum with the velocity <c>v</c> in slot 0, <c>v = mu * v + g</c>, then either heavy-ball's step (Polyak 1964)
/// <c>w -= lr * v</c>, or with <paramref name="nesterov"/> Nesterov's look-ahead in the form of Sutskever et al. (2013)
/// as PyTorch writes it, <c>w -= lr * (g + mu * v)</c>.
/// </summary>
internal readonly struct MomentumRule(float learningRate, float momentum, float weightDecay, bool nesterov) : IOptimizerRule
{
    private readonly Vector<float> _lr = new(learningRate), _mu = new(momentum), _decay = new(weightDecay);
    private readonly bool _nesterov = nesterov;

    public static int Slots => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> v, ref Vector<float> unused)
    {
        g += _decay * w;
        v = StateFloor.Flush(_mu * v + g, StateFloor.Moment);
        w -= _lr * (_nesterov ? g + _mu * v : v);
    }
}
