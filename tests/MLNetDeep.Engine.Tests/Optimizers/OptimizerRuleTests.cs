using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>
/// The first three steps of each optimizer against its published rule, written here in double precision from the
/// paper (not by calling the engine). Each runs without and with coupled L2 decay, which the reference adds to the
/// gradient of weights only: so these tests also check that biases are never decayed.
/// Hyper-parameters are float constants given to both sides, so only the arithmetic's rounding differs.
/// </summary>
public class OptimizerRuleTests
{
    private const float Lr = 0.1f;

    // g + wd * w for a weight, g for a bias: coupled L2 decay (the gradient of 0.5 * wd * |w|^2).
    private static double Decayed(double w, double g, bool isWeight, double wd) => isWeight ? g + wd * w : g;

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void SgdFollowsGradientDescent(float wd)
    {
        double lr = Lr, decay = wd;
        ThreeStepProblem.AssertFollows(new Sgd(Lr) { WeightDecay = wd },
            (w, g, isWeight, t, s) => w - lr * Decayed(w, g, isWeight, decay));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void MomentumFollowsHeavyBall(float wd)
    {
        const float Mu = 0.9f;
        double lr = Lr, mu = Mu, decay = wd;
        ThreeStepProblem.AssertFollows(new Momentum(Lr) { Mu = Mu, WeightDecay = wd }, (w, g, isWeight, t, s) =>
        {
            // Polyak: v_t = mu v_{t-1} + g_t, w_t = w_{t-1} - lr v_t (PyTorch, no dampening).
            s[0] = mu * s[0] + Decayed(w, g, isWeight, decay);
            return w - lr * s[0];
        });
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void NesterovFollowsSutskeverReformulation(float wd)
    {
        const float Mu = 0.9f;
        double lr = Lr, mu = Mu, decay = wd;
        ThreeStepProblem.AssertFollows(new Nesterov(Lr) { Mu = Mu, WeightDecay = wd }, (w, g, isWeight, t, s) =>
        {
            // v_t = mu v_{t-1} + g_t, w_t = w_{t-1} - lr (g_t + mu v_t).
            double gd = Decayed(w, g, isWeight, decay);
            s[0] = mu * s[0] + gd;
            return w - lr * (gd + mu * s[0]);
        });
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void AdagradFollowsDuchi(float wd)
    {
        const float Eps = 1e-10f;
        double lr = Lr, eps = Eps, decay = wd;
        ThreeStepProblem.AssertFollows(new Adagrad(Lr) { Epsilon = Eps, WeightDecay = wd }, (w, g, isWeight, t, s) =>
        {
            // G_t = sum of g^2, w_t = w_{t-1} - lr g_t / (sqrt(G_t) + eps).
            double gd = Decayed(w, g, isWeight, decay);
            s[0] += gd * gd;
            return w - lr * gd / (Math.Sqrt(s[0]) + eps);
        });
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void RmsPropFollowsTielemanHinton(float wd)
    {
        const float Rho = 0.9f, Eps = 1e-8f;
        double lr = Lr, rho = Rho, eps = Eps, decay = wd;
        ThreeStepProblem.AssertFollows(new RmsProp(Lr) { Rho = Rho, Epsilon = Eps, WeightDecay = wd }, (w, g, isWeight, t, s) =>
        {
            // MeanSquare_t = rho MeanSquare_{t-1} + (1 - rho) g^2, w_t = w_{t-1} - lr g / (sqrt(MeanSquare_t) + eps).
            double gd = Decayed(w, g, isWeight, decay);
            s[0] = rho * s[0] + (1 - rho) * gd * gd;
            return w - lr * gd / (Math.Sqrt(s[0]) + eps);
        });
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(1f, 0.1f)]
    [InlineData(0.5f, 0f)]
    public void AdaDeltaFollowsZeiler(float lrMultiplier, float wd)
    {
        const float Rho = 0.95f, Eps = 1e-6f;
        double lr = lrMultiplier, rho = Rho, eps = Eps, decay = wd;
        ThreeStepProblem.AssertFollows(new AdaDelta(lrMultiplier) { Rho = Rho, Epsilon = Eps, WeightDecay = wd }, (w, g, isWeight, t, s) =>
        {
            // Zeiler 2012, Algorithm 1: E[g^2]_t = rho E[g^2]_{t-1} + (1 - rho) g^2;
            // dx_t = -RMS[dx]_{t-1} / RMS[g]_t g_t with RMS[y] = sqrt(E[y^2] + eps); E[dx^2]_t = rho E[dx^2]_{t-1} + (1 - rho) dx^2;
            // x_{t+1} = x_t + dx_t, here scaled by the learning-rate multiplier (1 = the paper).
            double gd = Decayed(w, g, isWeight, decay);
            s[0] = rho * s[0] + (1 - rho) * gd * gd;
            double dx = -Math.Sqrt(s[1] + eps) / Math.Sqrt(s[0] + eps) * gd;
            s[1] = rho * s[1] + (1 - rho) * dx * dx;
            return w + lr * dx;
        });
    }

    // Kingma and Ba 2015, Algorithm 1, for one element; decoupled is AdamW's lr * wd (0 for Adam).
    private static ReferenceRule AdamReference(double lr, double beta1, double beta2, double eps, double coupled, double decoupled) =>
        (w, g, isWeight, t, s) =>
        {
            double gd = Decayed(w, g, isWeight, coupled);
            s[0] = beta1 * s[0] + (1 - beta1) * gd;
            s[1] = beta2 * s[1] + (1 - beta2) * gd * gd;
            double mHat = s[0] / (1 - Math.Pow(beta1, t));
            double vHat = s[1] / (1 - Math.Pow(beta2, t));
            double shrunk = isWeight ? w - decoupled * w : w;
            return shrunk - lr * mHat / (Math.Sqrt(vHat) + eps);
        };

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void AdamFollowsKingmaBa(float wd)
    {
        const float Beta1 = 0.9f, Beta2 = 0.999f, Eps = 1e-8f;
        var adam = new Adam(Lr) { Beta1 = Beta1, Beta2 = Beta2, Epsilon = Eps, WeightDecay = wd };
        ThreeStepProblem.AssertFollows(adam, AdamReference(Lr, Beta1, Beta2, Eps, coupled: wd, decoupled: 0));
    }

    [Fact]
    public void AdamFollowsKingmaBaWithOtherBetas()
    {
        const float Beta1 = 0.5f, Beta2 = 0.75f, Eps = 1e-3f;
        var adam = new Adam(Lr) { Beta1 = Beta1, Beta2 = Beta2, Epsilon = Eps };
        ThreeStepProblem.AssertFollows(adam, AdamReference(Lr, Beta1, Beta2, Eps, coupled: 0, decoupled: 0));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.01f)]
    [InlineData(0.5f)]
    public void AdamWDecaysWeightsDecoupled(float wd)
    {
        const float Beta1 = 0.9f, Beta2 = 0.999f, Eps = 1e-8f;
        var adamW = new AdamW(Lr) { Beta1 = Beta1, Beta2 = Beta2, Epsilon = Eps, WeightDecay = wd };
        // Loshchilov and Hutter: w_t = w_{t-1} - lr * wd * w_{t-1} - lr * m_hat / (sqrt(v_hat) + eps), m and v from the bare gradient.
        ThreeStepProblem.AssertFollows(adamW, AdamReference(Lr, Beta1, Beta2, Eps, coupled: 0, decoupled: (double)Lr * wd));
    }

    [Theory]
    [InlineData(0f, 0.004f)]
    [InlineData(0.1f, 0.004f)]
    [InlineData(0f, 0.5f)]
    public void NAdamFollowsDozat(float wd, float momentumDecay)
    {
        const float Beta1 = 0.9f, Beta2 = 0.999f, Eps = 1e-8f;
        double lr = Lr, beta1 = Beta1, beta2 = Beta2, eps = Eps, psi = momentumDecay, decay = wd;
        // Dozat 2016 with the schedule mu_t = beta1 (1 - 0.5 * 0.96^(t psi)), in the form of PyTorch's NAdam.
        double MuAt(int t) => beta1 * (1 - 0.5 * Math.Pow(0.96, t * psi));
        double ProductTo(int t)
        {
            double product = 1;
            for (int i = 1; i <= t; i++) product *= MuAt(i);
            return product;
        }

        var nadam = new NAdam(Lr) { Beta1 = Beta1, Beta2 = Beta2, Epsilon = Eps, MomentumDecay = momentumDecay, WeightDecay = wd };
        ThreeStepProblem.AssertFollows(nadam, (w, g, isWeight, t, s) =>
        {
            double gd = Decayed(w, g, isWeight, decay);
            s[0] = beta1 * s[0] + (1 - beta1) * gd;
            s[1] = beta2 * s[1] + (1 - beta2) * gd * gd;
            double vHat = s[1] / (1 - Math.Pow(beta2, t));
            double mBar = (1 - MuAt(t)) * gd / (1 - ProductTo(t)) + MuAt(t + 1) * s[0] / (1 - ProductTo(t + 1));
            return w - lr * mBar / (Math.Sqrt(vHat) + eps);
        });
    }
}
