using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>
/// An optimizer's decaying state never becomes subnormal (x86 processors without flush-to-zero take a microcode
/// assist for each vector instruction that reads or makes one), and keeping it out of that range does not move the
/// weights: a parameter that gets one gradient and then none for thousands of steps (a unit silenced by ReLU) follows
/// the paper's rule, computed here in double precision without any floor.
/// </summary>
public class OptimizerSubnormalTests
{
    private const int Steps = 3000;

    // The gradients of step 1, one per element; zero afterwards. The last two are so small that their squares
    // (1e-40, 2.5e-45) are subnormal in single precision.
    private static readonly float[] FirstGradients = [0.5f, -1e-3f, 2e-6f, 1e-20f, -5e-23f];

    [Theory]
    [MemberData(nameof(OptimizerKinds.All), MemberType = typeof(OptimizerKinds))]
    public void StateNeverHoldsSubnormals(OptimizerKind kind)
    {
        var optimizer = Optimizer.Create(kind, 1e-3f);
        var weight = new Parameter("weight", 1, FirstGradients.Length, isWeight: true);
        Array.Fill(weight.Value, 0.25f);
        FirstGradients.CopyTo(weight.Gradient, 0);
        for (int t = 1; t <= Steps; t++)
        {
            optimizer.Step([weight]);
            if (t == 1) Array.Clear(weight.Gradient);
            for (int slot = 0; slot < SlotCount(kind); slot++)
            {
                foreach (float s in optimizer.GetState(0, slot))
                    Assert.False(float.IsSubnormal(s), $"{kind}, step {t}: slot {slot} holds the subnormal {s:R}.");
            }
            foreach (float w in weight.Value) Assert.False(float.IsSubnormal(w), $"{kind}, step {t}: a weight is subnormal.");
        }
    }

    [Fact]
    public void AdamFollowsItsRuleWhileTheMomentsDecay()
    {
        const float Lr = 1e-3f, Beta1 = 0.9f, Beta2 = 0.999f, Eps = 1e-8f;
        var adam = new Adam(Lr) { Beta1 = Beta1, Beta2 = Beta2, Epsilon = Eps };
        var weight = new Parameter("weight", 1, FirstGradients.Length, isWeight: true);
        Array.Fill(weight.Value, 0.25f);
        FirstGradients.CopyTo(weight.Gradient, 0);
        double[] w = [.. weight.Value.Select(x => (double)x)], m = new double[w.Length], v = new double[w.Length];
        for (int t = 1; t <= Steps; t++)
        {
            adam.Step([weight]);
            for (int e = 0; e < w.Length; e++)
            {
                // Kingma and Ba 2015, Algorithm 1.
                double g = t == 1 ? FirstGradients[e] : 0;
                m[e] = Beta1 * m[e] + (1 - Beta1) * g;
                v[e] = Beta2 * v[e] + (1 - Beta2) * g * g;
                double mHat = m[e] / (1 - Math.Pow(Beta1, t)), vHat = v[e] / (1 - Math.Pow(Beta2, t));
                w[e] -= Lr * mHat / (Math.Sqrt(vHat) + Eps);
            }
            if (t == 1) Array.Clear(weight.Gradient);
        }
        // Single precision's rounding of the steps and of 0.25 itself; the floors' share is below 1e-12.
        for (int e = 0; e < w.Length; e++)
            Assert.True(Math.Abs(weight.Value[e] - w[e]) < 1e-6, $"element {e}: expected {w[e]:R}, got {weight.Value[e]:R}.");
    }

    private static int SlotCount(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => 0,
        OptimizerKind.Momentum or OptimizerKind.Nesterov or OptimizerKind.Adagrad or OptimizerKind.RmsProp => 1,
        _ => 2,
    };
}
