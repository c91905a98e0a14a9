using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Gradients;

/// <summary>
/// Softmax cross-entropy with label smoothing against its definition, computed here in double:
/// q = (1 - e) onehot + e / K, loss = -Σ q_j log softmax(z)_j, gradient (softmax(z) - q) / batch.
/// </summary>
public class LabelSmoothingTests
{
    private static readonly float[] Logits = [1.5f, -0.5f, 2f, 0.25f, -1f, 0f, 3f, -2f];
    private static readonly float[] Labels = [2f, 1f];

    private static (double Loss, double[] Gradient) Reference(float[] z, float[] labels, int width, double e)
    {
        int batch = labels.Length;
        double loss = 0;
        var gradient = new double[z.Length];
        for (int r = 0; r < batch; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int j = 0; j < width; j++) max = Math.Max(max, z[r * width + j]);
            for (int j = 0; j < width; j++) sum += Math.Exp(z[r * width + j] - max);
            for (int j = 0; j < width; j++)
            {
                double p = Math.Exp(z[r * width + j] - max) / sum;
                double q = (j == (int)labels[r] ? 1 - e : 0) + e / width;
                loss -= q * Math.Log(p);
                gradient[r * width + j] = (p - q) / batch;
            }
        }
        return (loss / batch, gradient);
    }

    [Theory, InlineData(0.1), InlineData(0.3), InlineData(0.9)]
    public void LossAndGradientEqualTheSmoothedCrossEntropy(double smoothing)
    {
        var output = new Tensor((float[])Logits.Clone(), 2, TensorShape.Vector(4));
        var gradient = new Tensor(2, TensorShape.Vector(4));
        float loss = new SoftmaxCrossEntropy((float)smoothing).Compute(output, Labels, gradient);
        var (expectedLoss, expectedGradient) = Reference(Logits, Labels, 4, (float)smoothing);
        Assert.Equal(expectedLoss, loss, 5);
        for (int i = 0; i < expectedGradient.Length; i++) Assert.Equal(expectedGradient[i], gradient.Span[i], 6);
    }

    [Fact]
    public void AHandComputedCase()
    {
        // z = (0, 0), label 0, e = 0.2, K = 2: q = (0.9, 0.1), p = (0.5, 0.5): loss = ln 2, gradient (0.5 - 0.9, 0.5 - 0.1).
        var output = new Tensor([0f, 0f], 1, TensorShape.Vector(2));
        var gradient = new Tensor(1, TensorShape.Vector(2));
        float loss = new SoftmaxCrossEntropy(0.2f).Compute(output, [0f], gradient);
        Assert.Equal(Math.Log(2), loss, 6);
        Assert.Equal(-0.4f, gradient.Span[0], 6);
        Assert.Equal(0.4f, gradient.Span[1], 6);
    }

    [Fact]
    public void ZeroSmoothingGivesThePlainLossBitForBit()
    {
        var output = new Tensor((float[])Logits.Clone(), 2, TensorShape.Vector(4));
        var plain = new Tensor(2, TensorShape.Vector(4));
        var zero = new Tensor(2, TensorShape.Vector(4));
        float plainLoss = new SoftmaxCrossEntropy().Compute(output, Labels, [2f, 0.5f], plain);
        float zeroLoss = new SoftmaxCrossEntropy(0f).Compute(output, Labels, [2f, 0.5f], zero);
        Assert.Equal(BitConverter.SingleToInt32Bits(plainLoss), BitConverter.SingleToInt32Bits(zeroLoss));
        Assert.Equal(plain.Span.ToArray(), zero.Span.ToArray());
    }

    [Theory, InlineData(1), InlineData(4)]
    public void TheSmoothedGradientPassesTheFiniteDifferenceCheck(int batch)
    {
        var rng = new Rng(12);
        var t = new Tensor(batch, TensorShape.Vector(5));
        for (int i = 0; i < t.Length; i++) t.Span[i] = rng.NextFloat(-3, 3);
        GradientCheck.Loss(new SoftmaxCrossEntropy(0.15f), t, Enumerable.Range(0, batch).Select(i => (float)((i * 3) % 5)).ToArray());
    }

    [Theory, InlineData(-0.1f), InlineData(1f), InlineData(float.NaN)]
    public void SmoothingOutsideZeroToOneIsRefused(float smoothing) =>
        Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy(smoothing)).ParamName);

    [Fact]
    public void TheModelFileTagDoesNotDependOnSmoothing() =>
        Assert.Equal(new SoftmaxCrossEntropy().ToString(), new SoftmaxCrossEntropy(0.1f).ToString());
}
