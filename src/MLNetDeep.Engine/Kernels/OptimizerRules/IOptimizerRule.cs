using System.Numerics;

namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>
/// One optimizer's update rule, written once: what it does to a vector of elements of a parameter, its gradient
/// and up to two state arrays. <see cref="OptimizerKernels.Update"/> runs it over whole arrays and
/// <see cref="ParameterUpdate{TRule}"/> over a list of parameters, on one or several threads.
/// </summary>
/// <remarks>
/// A rule sees every element on its own (no norm or sum across elements), so a parameter may be updated in
/// ranges, in any order, with the same bits. Its scalars are fixed when it is made: the optimizer makes one
/// per step for weights and one for biases, which differ only in the decay. Every rule takes a coupled L2
/// coefficient and uses <c>g + weightDecay * w</c> in place of the gradient <c>g</c>; the gradient array is
/// never written. No fused multiply-add, whose availability differs between machines: every element goes
/// through the same IEEE single-precision operations whatever the vector width. Decaying state is kept out of the
/// subnormal range by <see cref="StateFloor"/>.
/// Implementations mark <c>Apply</c> AggressiveInlining: without it the JIT declines to inline the larger rules
/// (AdaDelta, Adam) and the loop becomes a call per vector through the stack, several times slower.
/// </remarks>
internal interface IOptimizerRule
{
    /// <summary>How many state arrays the rule reads and writes; a constant, so the JIT drops unused loads.</summary>
    static abstract int Slots { get; }

    /// <summary>Updates <paramref name="w"/> and the state <paramref name="s0"/>, <paramref name="s1"/> (those of <see cref="Slots"/>) from the gradient <paramref name="g"/>.</summary>
    void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> s0, ref Vector<float> s1);
}
