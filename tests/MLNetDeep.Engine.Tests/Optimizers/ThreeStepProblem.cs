using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>
/// One element of a published update rule, written in double precision by the test: the new value from the old
/// value <paramref name="w"/>, the raw gradient <paramref name="g"/> of step <paramref name="t"/> (1-based) and the
/// element's own state (two zero-initialised doubles that the rule may use as it likes).
/// </summary>
internal delegate double ReferenceRule(double w, double g, bool isWeight, int t, double[] state);

/// <summary>
/// A tiny problem for checking an optimizer's first three steps against a reference rule: four distinct elements
/// (three weights and a bias) whose gradients change size and sign at every step.
/// </summary>
/// <remarks>
/// The weight parameter repeats the three weights across 35 elements, so that with vectors of 4, 8 or 16 lanes
/// copies of each fall both in the vectorised body and in the tail; every copy must match the reference and be
/// bit-identical to the others. All starting values and gradients are exact in float, so the only difference from
/// the reference is float32 rounding in the optimizer: each value must lie within
/// <see cref="Tolerance"/> times max(1, |expected|) of the reference.
/// </remarks>
internal static class ThreeStepProblem
{
    public const double Tolerance = 1e-6;

    private const int WeightCopies = 35;
    private static readonly float[] StartWeights = [0.5f, -1.25f, 2f];
    private const float StartBias = 0.25f;

    // Gradients[t - 1] = the gradients of step t: the three weights, then the bias.
    private static readonly float[][] Gradients =
    [
        [0.5f, -0.25f, 1f, 0.75f],
        [-0.125f, 0.5f, 0.375f, -1f],
        [0.25f, 0.0625f, -0.75f, 0.5f],
    ];

    public static void AssertFollows(Optimizer optimizer, ReferenceRule reference)
    {
        var weight = new Parameter("weight", 1, WeightCopies, isWeight: true);
        var bias = new Parameter("bias", 1, 1, isWeight: false);
        for (int i = 0; i < WeightCopies; i++) weight.Value[i] = StartWeights[i % 3];
        bias.Value[0] = StartBias;
        Parameter[] parameters = [weight, bias];

        double[] expected = [StartWeights[0], StartWeights[1], StartWeights[2], StartBias];
        double[][] state = [new double[2], new double[2], new double[2], new double[2]];
        for (int t = 1; t <= Gradients.Length; t++)
        {
            float[] g = Gradients[t - 1];
            for (int i = 0; i < WeightCopies; i++) weight.Gradient[i] = g[i % 3];
            bias.Gradient[0] = g[3];

            optimizer.Step(parameters);
            for (int e = 0; e < 4; e++)
                expected[e] = reference(expected[e], g[e], isWeight: e < 3, t, state[e]);

            for (int i = 0; i < WeightCopies; i++)
            {
                AssertClose(expected[i % 3], weight.Value[i], $"weight {i} after step {t}");
                Assert.Equal(BitConverter.SingleToInt32Bits(weight.Value[i % 3]), BitConverter.SingleToInt32Bits(weight.Value[i]));
            }
            AssertClose(expected[3], bias.Value[0], $"bias after step {t}");
            Assert.Equal(t, optimizer.StepCount);
        }
    }

    private static void AssertClose(double expected, float actual, string what)
    {
        double error = Math.Abs(actual - expected);
        Assert.True(error <= Tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (error {error:E2}).");
    }
}
