using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>
/// Keeps an optimizer's decaying state out of the subnormal range, where x86 processors without flush-to-zero take
/// a microcode assist of a hundred cycles or more for each vector instruction that reads or makes such a number.
/// </summary>
/// <remarks>
/// A moment of a parameter whose gradient stays zero (a unit that ReLU or dropout silences for a few hundred steps)
/// decays geometrically: Adam's first moment falls through 1e-38 in about 800 steps. On an Intel Xeon (family 6,
/// model 207) 7 % of the MLP's first moments were subnormal after two epochs of Fashion-MNIST and the training step
/// grew from 4.3 to 6.4 ms; setting the processor's flush-to-zero kept it at 3.9 ms with the same losses.
/// .NET has no portable way to set that mode, so the rules set such values to zero themselves, well above the
/// subnormal range: a first moment or velocity below 2^-64 moves no weight above 1e-7 by a unit in its last place,
/// and a mean square below 2^-100 changes the denominator <c>sqrt(v) + eps</c> by less than 1e-7 of <c>eps</c>.
/// A gradient whose square would fall below 2^-100 is left out of the mean square for the same reason: its square
/// would be subnormal before the decay factor scaled it. The same operations run whatever the vector width, so the
/// results stay the same for any thread count.
/// </remarks>
internal static class StateFloor
{
    /// <summary>2^-64 (exactly): the least magnitude kept of a first moment or a velocity.</summary>
    public const float Moment = 5.421010862427522e-20f;

    /// <summary>2^-100 (exactly): the least magnitude kept of a mean square.</summary>
    public const float MeanSquare = 7.888609052210118e-31f;

    /// <summary>2^-45 (exactly): the least gradient magnitude that adds to a mean square (its square, times 2^-10, is 2^-100).</summary>
    public const float SquaredGradient = 2.842170943040401e-14f;

    /// <summary>Zero where <c>|x| &lt; floor</c>, else <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Flush(Vector<float> x, float floor) =>
        Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector.Abs(x), new Vector<float>(floor)), x, Vector<float>.Zero);
}
