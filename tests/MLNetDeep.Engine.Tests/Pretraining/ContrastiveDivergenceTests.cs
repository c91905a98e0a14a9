using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Tensors;
using static MLNetDeep.Engine.Tests.Pretraining.RbmReference;

namespace MLNetDeep.Engine.Tests.Pretraining;

/// <summary>
/// CD updates with fixed random draws against the rule computed here in double precision:
/// h0 sampled from p(h | v0), v1 = E[v | h0] (probabilities, no visible sampling), P1 = p(h | v1);
/// positive statistics P0ᵀv0, negative P1ᵀv1 (probabilities on both sides, Hinton 2010 §3.3).
/// </summary>
public class ContrastiveDivergenceTests
{
    private const int Visible = 3, Hidden = 2, Batch = 2;
    private static readonly float[] W0 = [0.5f, -1.2f, 0.8f, -0.3f, 0.9f, 1.4f];
    private static readonly float[] B0 = [0.2f, -0.4f, 0.1f];
    private static readonly float[] C0 = [-0.6f, 0.3f];
    private static readonly float[] V0 = [1f, 0f, 1f, 0f, 1f, 1f];

    private static T Fixed<T>(T rbm) where T : Rbm
    {
        W0.CopyTo(rbm.Weight.Value, 0);
        B0.CopyTo(rbm.VisibleBias.Value, 0);
        C0.CopyTo(rbm.HiddenBias.Value, 0);
        return rbm;
    }

    private sealed record Expected(double[,] DeltaW, double[] DeltaB, double[] DeltaC, double[,] ChainState);

    /// <summary>One CD-1 (or PCD-1, starting from <paramref name="chain"/>) step's statistics difference, positive minus negative, over the batch mean.</summary>
    private static Expected Statistics(double[,] w, double[] b, double[] c, bool gaussian, float[] uniforms, double[,]? chain, bool persistent)
    {
        var v0 = Matrix(V0, Batch, Visible);
        var p0 = HiddenProbabilities(v0, w, c);
        int offset = 0;
        double[,] h0;
        if (chain is null) { h0 = Sample(p0, uniforms, offset); offset += Batch * Hidden; }
        else h0 = chain;
        var v1 = VisibleMeans(h0, w, b, gaussian);
        var p1 = HiddenProbabilities(v1, w, c);
        var next = persistent ? Sample(p1, uniforms, offset) : p1;
        var positive = Outer(p0, v0);
        var negative = Outer(p1, v1);
        var dw = new double[Hidden, Visible];
        for (int j = 0; j < Hidden; j++)
            for (int i = 0; i < Visible; i++) dw[j, i] = (positive[j, i] - negative[j, i]) / Batch;
        var db = ColumnSums(v0).Zip(ColumnSums(v1), (x, y) => (x - y) / Batch).ToArray();
        var dc = ColumnSums(p0).Zip(ColumnSums(p1), (x, y) => (x - y) / Batch).ToArray();
        return new Expected(dw, db, dc, next);
    }

    private static void AssertStep(Rbm rbm, double[,] w, double[] b, double[] c, Expected e, double lr)
    {
        for (int j = 0; j < Hidden; j++)
            for (int i = 0; i < Visible; i++)
            {
                Assert.Equal(w[j, i] + lr * e.DeltaW[j, i], rbm.Weight.Value[j * Visible + i], 1e-6);
                // The stored gradient is the descent direction: negative minus positive statistics.
                Assert.Equal(-e.DeltaW[j, i], rbm.Weight.Gradient[j * Visible + i], 1e-6);
            }
        for (int i = 0; i < Visible; i++) Assert.Equal(b[i] + lr * e.DeltaB[i], rbm.VisibleBias.Value[i], 1e-6);
        for (int j = 0; j < Hidden; j++) Assert.Equal(c[j] + lr * e.DeltaC[j], rbm.HiddenBias.Value[j], 1e-6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cd1StepIsLearningRateTimesPositiveMinusNegativeStatistics(bool gaussian)
    {
        Rbm rbm = gaussian ? Fixed(new GaussianBernoulliRbm(Visible, Hidden)) : Fixed(new BernoulliRbm(Visible, Hidden));
        var options = new RbmTrainingOptions { LearningRate = 0.3f, Momentum = 0f, WeightDecay = 0f };
        // p(h | v0) is about [0.67, 0.75; 0.45, 0.90]: these draws give h0 = [1, 0; 0, 1].
        float[] uniforms = [0.2f, 0.95f, 0.7f, 0.1f];
        Assert.Equal(uniforms.Length, rbm.UniformsNeeded(Batch, options));
        var expected = Statistics(Matrix(W0, Hidden, Visible), Vector(B0), Vector(C0), gaussian, uniforms, null, persistent: false);
        Assert.Equal(new double[,] { { 1, 0 }, { 0, 1 } }, Sample(HiddenProbabilities(Matrix(V0, Batch, Visible), Matrix(W0, Hidden, Visible), Vector(C0)), uniforms, 0));

        rbm.ContrastiveDivergenceStep(V0, Batch, options, uniforms);

        AssertStep(rbm, Matrix(W0, Hidden, Visible), Vector(B0), Vector(C0), expected, 0.3);
    }

    [Fact]
    public void MomentumAndWeightDecayFollowHintonsUpdate()
    {
        // Δ = μΔ + ε (positive - negative - λW); W += Δ; no decay on the biases (Hinton 2010, §9 and §10).
        var rbm = Fixed(new BernoulliRbm(Visible, Hidden));
        const double lr = 0.3, mu = 0.5, lambda = 0.01;
        var options = new RbmTrainingOptions { LearningRate = (float)lr, Momentum = (float)mu, WeightDecay = (float)lambda };
        float[][] draws = [[0.2f, 0.95f, 0.7f, 0.1f], [0.6f, 0.3f, 0.05f, 0.99f]];
        var w = Matrix(W0, Hidden, Visible);
        var b = Vector(B0);
        var c = Vector(C0);
        var dw = new double[Hidden, Visible];
        var db = new double[Visible];
        var dc = new double[Hidden];
        foreach (var uniforms in draws)
        {
            var e = Statistics(w, b, c, gaussian: false, uniforms, null, persistent: false);
            rbm.ContrastiveDivergenceStep(V0, Batch, options, uniforms);
            for (int j = 0; j < Hidden; j++)
                for (int i = 0; i < Visible; i++)
                {
                    dw[j, i] = mu * dw[j, i] + lr * (e.DeltaW[j, i] - lambda * w[j, i]);
                    w[j, i] += dw[j, i];
                    Assert.Equal(w[j, i], rbm.Weight.Value[j * Visible + i], 1e-6);
                }
            for (int i = 0; i < Visible; i++)
            {
                db[i] = mu * db[i] + lr * e.DeltaB[i];
                b[i] += db[i];
                Assert.Equal(b[i], rbm.VisibleBias.Value[i], 1e-6);
            }
            for (int j = 0; j < Hidden; j++)
            {
                dc[j] = mu * dc[j] + lr * e.DeltaC[j];
                c[j] += dc[j];
                Assert.Equal(c[j], rbm.HiddenBias.Value[j], 1e-6);
            }
        }
    }

    [Fact]
    public void PersistentChainsContinueFromTheirLastSample()
    {
        // PCD-1 (Tieleman 2008): the first step starts the chains from h0 ~ p(h | v0) and samples their next
        // state from P1; the second step's negative phase starts from that state, not from the data.
        var rbm = Fixed(new BernoulliRbm(Visible, Hidden));
        var options = new RbmTrainingOptions { LearningRate = 0.3f, Momentum = 0f, WeightDecay = 0f, Persistent = true };
        float[] first = [0.2f, 0.95f, 0.7f, 0.1f, 0.5f, 0.5f, 0.5f, 0.5f];
        float[] second = [0.05f, 0.97f, 0.4f, 0.6f];
        Assert.Equal(first.Length, rbm.UniformsNeeded(Batch, options));
        var w = Matrix(W0, Hidden, Visible);
        var b = Vector(B0);
        var c = Vector(C0);
        var e1 = Statistics(w, b, c, false, first, null, persistent: true);
        rbm.ContrastiveDivergenceStep(V0, Batch, options, first);
        AssertStep(rbm, w, b, c, e1, 0.3);

        Assert.Equal(second.Length, rbm.UniformsNeeded(Batch, options));
        w = Matrix(rbm.Weight.Value, Hidden, Visible);
        b = Vector(rbm.VisibleBias.Value);
        c = Vector(rbm.HiddenBias.Value);
        var e2 = Statistics(w, b, c, false, second, e1.ChainState, persistent: true);
        rbm.ContrastiveDivergenceStep(V0, Batch, options, second);
        AssertStep(rbm, w, b, c, e2, 0.3);
    }

    [Fact]
    public void CdKDrawsOneBlockPerIntermediateSample()
    {
        // CD-3 by hand: h0 from block 0, h1 from block 1, h2 from block 2, P3 as probabilities.
        var rbm = Fixed(new BernoulliRbm(Visible, Hidden));
        var options = new RbmTrainingOptions { CdSteps = 3, LearningRate = 0.3f, Momentum = 0f, WeightDecay = 0f };
        float[] uniforms = [0.2f, 0.95f, 0.7f, 0.1f, 0.3f, 0.6f, 0.9f, 0.2f, 0.5f, 0.4f, 0.1f, 0.8f];
        Assert.Equal(uniforms.Length, rbm.UniformsNeeded(Batch, options));
        var w = Matrix(W0, Hidden, Visible);
        var b = Vector(B0);
        var c = Vector(C0);
        var v0 = Matrix(V0, Batch, Visible);
        var p0 = HiddenProbabilities(v0, w, c);
        var h = Sample(p0, uniforms, 0);
        double[,] v = v0, p = p0;
        for (int t = 1; t <= 3; t++)
        {
            v = VisibleMeans(h, w, b, gaussian: false);
            p = HiddenProbabilities(v, w, c);
            if (t < 3) h = Sample(p, uniforms, t * Batch * Hidden);
        }
        var positive = Outer(p0, v0);
        var negative = Outer(p, v);

        rbm.ContrastiveDivergenceStep(V0, Batch, options, uniforms);

        for (int j = 0; j < Hidden; j++)
            for (int i = 0; i < Visible; i++)
                Assert.Equal(w[j, i] + 0.3 * (positive[j, i] - negative[j, i]) / Batch, rbm.Weight.Value[j * Visible + i], 1e-6);
    }

    [Fact]
    public void TrainDrawsItsUniformsAsDocumented()
    {
        // Train: order generator = Rng(Seed).Fork(), draw generator = the second Fork(); one batch, no shuffle.
        var data = Enumerable.Range(0, 4 * 6).Select(i => (float)((i * 7 % 5) > 1 ? 1 : 0)).ToArray();
        var options = new RbmTrainingOptions { Epochs = 1, BatchSize = 4, Shuffle = false, Seed = 11, LearningRate = 0.2f, Momentum = 0.5f, WeightDecay = 0.001f };
        var trained = new BernoulliRbm(6, 5, seed: 3);
        trained.Train(data, options);

        var replayed = new BernoulliRbm(6, 5, seed: 3);
        var rng = new Rng(11);
        rng.Fork();
        var draws = rng.Fork();
        var uniforms = new float[replayed.UniformsNeeded(4, options)];
        for (int i = 0; i < uniforms.Length; i++) uniforms[i] = draws.NextFloat();
        replayed.ContrastiveDivergenceStep(data, 4, options, uniforms);

        Assert.Equal(replayed.Weight.Value, trained.Weight.Value);
        Assert.Equal(replayed.VisibleBias.Value, trained.VisibleBias.Value);
        Assert.Equal(replayed.HiddenBias.Value, trained.HiddenBias.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StepAllocatesNothingOnceWarm(bool persistent)
    {
        var rbm = new BernoulliRbm(50, 30, seed: 2);
        var rng = new Rng(4);
        var v0 = Enumerable.Range(0, 20 * 50).Select(_ => rng.NextFloat()).ToArray();
        var options = new RbmTrainingOptions { CdSteps = 2, Persistent = persistent };
        var uniforms = new float[(options.CdSteps + 1) * 20 * 30];
        for (int i = 0; i < uniforms.Length; i++) uniforms[i] = rng.NextFloat();
        rbm.ContrastiveDivergenceStep(v0, 20, options, uniforms.AsSpan(0, rbm.UniformsNeeded(20, options)));
        int needed = rbm.UniformsNeeded(20, options);
        AllocationCheck.AssertNone(() => rbm.ContrastiveDivergenceStep(v0, 20, options, uniforms.AsSpan(0, needed)));
    }

    [Fact]
    public void TrainAllocatesNothingPerBatch()
    {
        // 200 batches an epoch: two more epochs may allocate their reports, not anything per batch.
        var rng = new Rng(4);
        var data = Enumerable.Range(0, 1000 * 20).Select(_ => rng.NextFloat()).ToArray();
        var dataset = new MLNetDeep.Engine.Training.InMemoryDataset(data, new float[1000], TensorShape.Vector(20));
        long Allocated(int epochs)
        {
            var rbm = new BernoulliRbm(20, 16, seed: 2);
            var options = new RbmTrainingOptions { Epochs = epochs, BatchSize = 5, Persistent = true, CdSteps = 2 };
            rbm.Train(dataset, options); // warm: JIT and buffers
            long before = GC.GetAllocatedBytesForCurrentThread();
            rbm.Train(dataset, options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long one = Allocated(1), three = Allocated(3);
        Assert.True(three - one < 2048, $"{three - one} more bytes for 400 more batches");
    }
}
