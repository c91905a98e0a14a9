using MathNet.Numerics;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Activations;

/// <summary>
/// GELU, SiLU, SELU and Softplus at chosen points, from their formulas computed here in double precision (erf from
/// MathNet.Numerics, SELU's constants as Klambauer et al. publish them); the float error function against MathNet's.
/// </summary>
public sealed class SmoothActivationTests
{
    private static readonly float[] Points = [-30f, -14f, -9f, -5f, -3.5f, -2f, -1f, -0.5f, -1e-3f, 0f, 1e-3f, 0.3f, 1f, 2.5f, 4f, 7f, 20f];

    private const double Lambda = 1.0507009873554804934193349852946, Alpha = 1.6732632423543772848170429916717;

    private static float[] Forward(Layer layer, float[] x)
    {
        layer.Initialize(TensorShape.Vector(x.Length), new Rng(1));
        return layer.Forward(new Tensor((float[])x.Clone(), 1, TensorShape.Vector(x.Length)), training: false).Span.ToArray();
    }

    private static void AssertClose(Func<double, double> formula, float[] actual, double relative, string name)
    {
        for (int i = 0; i < Points.Length; i++)
        {
            double expected = formula(Points[i]);
            Assert.True(Math.Abs(actual[i] - expected) <= relative * Math.Abs(expected) + 1e-44,
                $"{name}({Points[i]}): {actual[i]:R}, the formula gives {expected:R} (relative error {Math.Abs(actual[i] - expected) / Math.Abs(expected):G3}).");
        }
    }

    [Fact]
    public void GeluIsXTimesTheNormalDistributionFunction() =>
        // Computed in double and rounded once: within half a float unit (2^-24), where 1 + erf(x/√2) is tiny too.
        AssertClose(x => 0.5 * x * SpecialFunctions.Erfc(-x / Math.Sqrt(2)), Forward(new Gelu(), Points), 6e-8, "GELU");

    [Fact]
    public void SiluIsXTimesTheSigmoid() =>
        AssertClose(x => x / (1 + Math.Exp(-x)), Forward(new Silu(), Points), 4e-7, "SiLU");

    [Fact]
    public void SeluUsesThePublishedConstants() =>
        AssertClose(x => x > 0 ? Lambda * x : Lambda * Alpha * (Math.Exp(x) - 1), Forward(new Selu(), Points), 4e-7, "SELU");

    [Fact]
    public void SoftplusIsTheLogOfOnePlusTheExponential() =>
        AssertClose(x => Math.Max(x, 0) + LogOnePlus(Math.Exp(-Math.Abs(x))), Forward(new Softplus(), Points), 6e-8, "Softplus");

    /// <summary>ln(1 + t) for 0 &lt; t ≤ 1: by its alternating series where t is small (ln(1 + 1e-13) in double keeps no digits).</summary>
    private static double LogOnePlus(double t)
    {
        if (t > 0.1) return Math.Log(1 + t);
        double sum = 0, power = t;
        for (int k = 1; k < 40; k++, power *= -t) sum += power / k;
        return sum;
    }

    [Fact]
    public void TheFloatErrorFunctionIsWithinOneUnitOfMathNets()
    {
        // 4,001 points over [-6, 6] and the tails: erf within 1.2e-7 relative, erfc too where it is tiny.
        for (int i = 0; i <= 4000; i++)
        {
            float x = -6f + 12f * i / 4000;
            double erf = SpecialFunctions.Erf(x), erfc = SpecialFunctions.Erfc(x);
            Assert.True(Math.Abs(ErrorFunction.Erf(x) - erf) <= 1.2e-7 * Math.Abs(erf) + 1e-45, $"erf({x:R}): {ErrorFunction.Erf(x):R}, MathNet {erf:R}");
            Assert.True(Math.Abs(ErrorFunction.Erfc(x) - erfc) <= 1.2e-7 * erfc + 1e-45, $"erfc({x:R}): {ErrorFunction.Erfc(x):R}, MathNet {erfc:R}");
            Assert.True(Math.Abs(ErrorFunction.Erfc((double)x) - erfc) <= 1e-12 * erfc, $"erfc({x:R}) in double: {ErrorFunction.Erfc((double)x):R}, MathNet {erfc:R}");
        }
        Assert.Equal(1f, ErrorFunction.Erf(30f));
        Assert.Equal(0f, ErrorFunction.Erfc(30f));
        Assert.True(float.IsNaN(ErrorFunction.Erf(float.NaN)));
    }
}
