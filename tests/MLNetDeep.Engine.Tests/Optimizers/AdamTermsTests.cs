using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>
/// Adam's plain rule (the optional terms left out) gives the bits the full rule gives with those terms' scalars at
/// zero, over gradients and states that span many magnitudes, including ones the state floor flushes; so switching
/// spellings by the step's scalars never changes a training run. Together with OptimizerRuleTests (both spellings
/// against the paper's rule) this pins the plain one down.
/// </summary>
public class AdamTermsTests
{
    [Theory]
    [InlineData(1e-3f, 1f)]
    [InlineData(0.37f, 1.7f)]
    public void PlainRuleGivesTheBitsOfTheFullRuleWithZeroTerms(float momentumStep, float secondMomentScale)
    {
        const int N = 4099; // not a multiple of any vector width: the tail goes through the rule too
        var random = new Random(7);
        float Magnitude() => (random.Next(2) == 0 ? -1 : 1) * MathF.Pow(10f, (float)(random.NextDouble() * 50 - 45));
        float[] w = new float[N], g = new float[N], m = new float[N], v = new float[N];
        for (int i = 0; i < N; i++)
        {
            w[i] = Magnitude();
            g[i] = i % 11 == 0 ? 0f : Magnitude();
            m[i] = i % 13 == 0 ? 0f : Magnitude();
            v[i] = i % 17 == 0 ? 0f : MathF.Abs(Magnitude());
        }
        float[] w2 = [.. w], m2 = [.. m], v2 = [.. v];
        double plain = OptimizerKernels.Update(w, g, m, v,
            new AdamRule<AdamTerms.Plain>(0.9f, 0.999f, 1e-8f, 0f, momentumStep, secondMomentScale, 0f, 0f));
        double all = OptimizerKernels.Update(w2, g, m2, v2,
            new AdamRule<AdamTerms.All>(0.9f, 0.999f, 1e-8f, 0f, momentumStep, secondMomentScale, 0f, 0f));
        Assert.Equal(all, plain);
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(w2[i]), BitConverter.SingleToInt32Bits(w[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(m2[i]), BitConverter.SingleToInt32Bits(m[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(v2[i]), BitConverter.SingleToInt32Bits(v[i]));
        }
    }
}
