using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Gradients;

/// <summary>
/// Sigmoid cross-entropy with label smoothing against its definition, computed here in double:
/// t' = t (1 - e) + e / 2, loss = -(t' log σ(z) + (1 - t') log(1 - σ(z))) averaged over all outputs,
/// gradient (σ(z) - t') / (batch * outputs).
/// </summary>
public class BinaryLabelSmoothingTests
{
    private static readonly float[] Logits = [1.5f, -0.5f, 2f, 0.25f, -1f, 0f, 3f, -2f];
    private static readonly float[] Labels = [1f, 0f, 1f, 1f, 0f, 1f, 0f, 0f];

    private static (double Loss, double[] Gradient) Reference(float[] z, float[] labels, double e, float[]? weights = null, int width = 1)
    {
        double loss = 0;
        var gradient = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            double p = 1 / (1 + Math.Exp(-z[i]));
            double t = labels[i] * (1 - e) + e / 2;
            double w = weights is null ? 1 : weights[i / width];
            loss -= w * (t * Math.Log(p) + (1 - t) * Math.Log(1 - p));
            gradient[i] = w * (p - t) / z.Length;
        }
        return (loss / z.Length, gradient);
    }

    [Theory, InlineData(0.1), InlineData(0.3), InlineData(0.9)]
    public void LossAndGradientEqualTheSmoothedCrossEntropy(double smoothing)
    {
        var output = new Tensor((float[])Logits.Clone(), 4, TensorShape.Vector(2));
        var gradient = new Tensor(4, TensorShape.Vector(2));
        float[] weights = [2f, 0.5f, 1f, 0f];
        float loss = new SigmoidBinaryCrossEntropy((float)smoothing).Compute(output, Labels, weights, gradient);
        var (expectedLoss, expectedGradient) = Reference(Logits, Labels, (float)smoothing, weights, width: 2);
        Assert.Equal(expectedLoss, loss, 5);
        for (int i = 0; i < expectedGradient.Length; i++) Assert.Equal(expectedGradient[i], gradient.Span[i], 6);
    }

    [Fact]
    public void AHandComputedCase()
    {
        // e = 0.1: label 1 becomes 0.95, label 0 becomes 0.05. z = 2, t' = 0.95: 2 - 1.9 + ln(1 + e^-2) = 0.1 + 0.1269280 = 0.2269280,
        // gradient σ(2) - 0.95 = 0.880797 - 0.95 = -0.069203; z = -1, t' = 0.05: 0 + 0.05 + ln(1 + e^-1) = 0.05 + 0.3132617 = 0.3632617,
        // gradient σ(-1) - 0.05 = 0.268941 - 0.05 = 0.218941. The mean over two outputs: 0.29509485; each gradient halved.
        var output = new Tensor([2f, -1f], 1, TensorShape.Vector(2));
        var gradient = new Tensor(1, TensorShape.Vector(2));
        float loss = new SigmoidBinaryCrossEntropy(0.1f).Compute(output, [1f, 0f], gradient);
        Assert.Equal(0.29509485, loss, 6);
        Assert.Equal(-0.0346015, gradient.Span[0], 5);
        Assert.Equal(0.1094705, gradient.Span[1], 5);
    }

    [Fact]
    public void ZeroSmoothingGivesThePlainLossBitForBit()
    {
        var output = new Tensor((float[])Logits.Clone(), 4, TensorShape.Vector(2));
        var plain = new Tensor(4, TensorShape.Vector(2));
        var zero = new Tensor(4, TensorShape.Vector(2));
        float plainLoss = new SigmoidBinaryCrossEntropy().Compute(output, Labels, [2f, 0.5f, 1f, 3f], plain);
        float zeroLoss = new SigmoidBinaryCrossEntropy(0f).Compute(output, Labels, [2f, 0.5f, 1f, 3f], zero);
        Assert.Equal(BitConverter.SingleToInt32Bits(plainLoss), BitConverter.SingleToInt32Bits(zeroLoss));
        Assert.Equal(plain.Span.ToArray(), zero.Span.ToArray());
    }

    [Theory, InlineData(1), InlineData(4)]
    public void TheSmoothedGradientPassesTheFiniteDifferenceCheck(int batch)
    {
        var rng = new Rng(13);
        var t = new Tensor(batch, TensorShape.Vector(3));
        for (int i = 0; i < t.Length; i++) t.Span[i] = rng.NextFloat(-3, 3);
        GradientCheck.Loss(new SigmoidBinaryCrossEntropy(0.15f), t, Enumerable.Range(0, batch * 3).Select(i => (float)(i % 2)).ToArray());
    }

    [Fact]
    public void SmoothingDoesNotChangeWhatCountsAsCorrect()
    {
        var output = new Tensor((float[])Logits.Clone(), 8, TensorShape.Vector(1));
        Assert.Equal(new SigmoidBinaryCrossEntropy().CountCorrect(output, Labels), new SigmoidBinaryCrossEntropy(0.3f).CountCorrect(output, Labels));
    }

    [Theory, InlineData(-0.1f), InlineData(1f), InlineData(float.NaN)]
    public void SmoothingOutsideZeroToOneIsRefused(float smoothing) =>
        Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new SigmoidBinaryCrossEntropy(smoothing)).ParamName);

    [Theory, InlineData(0f), InlineData(0.1f), InlineData(1f / 3f), InlineData(0.999f)]
    public void TheTagKeepsTheSmoothingExactly(float smoothing)
    {
        var loss = new SigmoidBinaryCrossEntropy(smoothing);
        var read = Assert.IsType<SigmoidBinaryCrossEntropy>(Loss.FromName(loss.ToString()));
        Assert.Equal(BitConverter.SingleToInt32Bits(smoothing), BitConverter.SingleToInt32Bits(read.LabelSmoothing));
        Assert.Equal(loss.ToString(), read.ToString());
    }

    [Fact]
    public void WithoutSmoothingTheTagIsTheOneEarlierVersionsWrote() =>
        Assert.Equal("SigmoidBinaryCrossEntropy", new SigmoidBinaryCrossEntropy().ToString());

    [Theory, InlineData("SigmoidBinaryCrossEntropy(smoothing 1.5)"), InlineData("SigmoidBinaryCrossEntropy(smoothing x)"), InlineData("SigmoidBinaryCrossEntropy(smoothing 0)")]
    public void AMalformedTagIsRefused(string tag) =>
        Assert.Contains("label smoothing", Assert.Throws<ArgumentException>(() => Loss.FromName(tag)).Message);

    [Fact]
    public void AnUnknownTagIsStillRefused() =>
        Assert.Contains("Unknown loss", Assert.Throws<ArgumentException>(() => Loss.FromName("SigmoidBinaryCrossEntropyX")).Message);
}
