using MLNetDeep.Engine.Pretraining;
using static MLNetDeep.Engine.Tests.Pretraining.RbmReference;

namespace MLNetDeep.Engine.Tests.Pretraining;

/// <summary>Free energies against the definitions, with every state of a tiny machine enumerated.</summary>
public class RbmEnergyTests
{
    // 3 visible, 2 hidden; W is [hidden, visible].
    private static readonly float[] W = [0.5f, -1.2f, 0.8f, -0.3f, 0.9f, 1.4f];
    private static readonly float[] B = [0.2f, -0.4f, 0.1f];
    private static readonly float[] C = [-0.6f, 0.3f];

    private static T Tiny<T>(T rbm) where T : Rbm
    {
        W.CopyTo(rbm.Weight.Value, 0);
        B.CopyTo(rbm.VisibleBias.Value, 0);
        C.CopyTo(rbm.HiddenBias.Value, 0);
        return rbm;
    }

    private static float[] Bits(int value, int count) => Enumerable.Range(0, count).Select(i => (float)((value >> i) & 1)).ToArray();

    /// <summary>E(v, h) = -b·v - c·h - Σ_ji h_j W[j, i] v_i, with the visible term given.</summary>
    private static double Energy(double visibleTerm, float[] v, float[] h)
    {
        double e = visibleTerm;
        for (int j = 0; j < 2; j++)
        {
            e -= C[j] * h[j];
            for (int i = 0; i < 3; i++) e -= h[j] * W[j * 3 + i] * v[i];
        }
        return e;
    }

    [Fact]
    public void BernoulliFreeEnergyMatchesTheFormulaForAllEightStates()
    {
        var rbm = Tiny(new BernoulliRbm(3, 2));
        for (int s = 0; s < 8; s++)
        {
            var v = Bits(s, 3);
            double expected = 0;
            for (int i = 0; i < 3; i++) expected -= B[i] * v[i];
            for (int j = 0; j < 2; j++)
            {
                double x = C[j];
                for (int i = 0; i < 3; i++) x += v[i] * W[j * 3 + i];
                expected -= Math.Log(1 + Math.Exp(x));
            }
            Assert.Equal(expected, rbm.FreeEnergy(v), 1e-5);
        }
    }

    [Fact]
    public void ExactLogLikelihoodByEnumerationAgreesWithFreeEnergies()
    {
        var rbm = Tiny(new BernoulliRbm(3, 2));
        // log Z from the 8 x 4 joint states.
        var joint = new double[8];
        double z = 0;
        for (int s = 0; s < 8; s++)
        {
            var v = Bits(s, 3);
            double visibleTerm = -Enumerable.Range(0, 3).Sum(i => (double)B[i] * v[i]);
            for (int t = 0; t < 4; t++) joint[s] += Math.Exp(-Energy(visibleTerm, v, Bits(t, 2)));
            z += joint[s];
        }
        double logZ = Math.Log(z);
        // log Z the other way: from the engine's free energies, Z = Σ_v e^-F(v).
        var freeEnergies = Enumerable.Range(0, 8).Select(s => (double)rbm.FreeEnergy(Bits(s, 3))).ToArray();
        double logZFromFree = Math.Log(freeEnergies.Sum(f => Math.Exp(-f)));
        Assert.Equal(logZ, logZFromFree, 1e-5);

        double total = 0;
        for (int s = 0; s < 8; s++)
        {
            double logP = Math.Log(joint[s]) - logZ;            // log Σ_h e^-E(v, h) - log Z
            Assert.Equal(logP, -freeEnergies[s] - logZFromFree, 1e-5);
            total += Math.Exp(logP);
        }
        Assert.Equal(1.0, total, 1e-12);
    }

    [Fact]
    public void GaussianFreeEnergyMatchesTheFormulaAndTheSumOverHiddenStates()
    {
        var rbm = Tiny(new GaussianBernoulliRbm(3, 2));
        float[][] samples = [[0.3f, -1.7f, 2.2f], [0f, 0f, 0f], [-0.9f, 0.4f, 1.1f], [12f, -9f, 30f]];
        foreach (var v in samples)
        {
            double visibleTerm = 0;
            for (int i = 0; i < 3; i++) visibleTerm += (v[i] - B[i]) * (v[i] - B[i]) / 2;
            double formula = visibleTerm;
            for (int j = 0; j < 2; j++)
            {
                double x = C[j];
                for (int i = 0; i < 3; i++) x += v[i] * W[j * 3 + i];
                formula -= x > 30 ? x : Math.Log(1 + Math.Exp(x));
            }
            // F(v) = -log Σ_h e^-E(v, h), over the 4 hidden states.
            double sum = Enumerable.Range(0, 4).Sum(t => Math.Exp(-(Energy(visibleTerm, v, Bits(t, 2)) - visibleTerm)));
            double enumerated = visibleTerm - Math.Log(sum);
            float actual = rbm.FreeEnergy(v);
            Assert.Equal(formula, enumerated, 1e-9);
            Assert.Equal(formula, actual, Math.Max(1e-5, Math.Abs(formula) * 1e-6));
        }
    }

    [Fact]
    public void BatchFreeEnergyEqualsOneSampleAtATime()
    {
        var rbm = Tiny(new BernoulliRbm(3, 2));
        var batch = Enumerable.Range(0, 8).SelectMany(s => Bits(s, 3)).ToArray();
        var energies = new float[8];
        rbm.FreeEnergy(batch, 8, energies);
        for (int s = 0; s < 8; s++) Assert.Equal(rbm.FreeEnergy(Bits(s, 3)), energies[s], 1e-6);
    }

    [Fact]
    public void ConditionalsAndReconstructionErrorMatchTheReference()
    {
        foreach (bool gaussian in new[] { false, true })
        {
            Rbm rbm = gaussian ? Tiny(new GaussianBernoulliRbm(3, 2)) : Tiny(new BernoulliRbm(3, 2));
            float[] v = [1f, 0f, 1f, 0.25f, 0.5f, 0.75f];
            var p = new float[4];
            rbm.HiddenProbabilities(v, 2, p);
            var expectedP = HiddenProbabilities(Matrix(v, 2, 3), Matrix(W, 2, 3), Vector(C));
            var expectedV = VisibleMeans(expectedP, Matrix(W, 2, 3), Vector(B), gaussian);
            double squared = 0;
            for (int r = 0; r < 2; r++)
            {
                for (int j = 0; j < 2; j++) Assert.Equal(expectedP[r, j], p[r * 2 + j], 1e-6);
                for (int i = 0; i < 3; i++) squared += Math.Pow(v[r * 3 + i] - expectedV[r, i], 2);
            }
            Assert.Equal(squared / 6, rbm.ReconstructionError(v, 2), 1e-6);
        }
    }
}
