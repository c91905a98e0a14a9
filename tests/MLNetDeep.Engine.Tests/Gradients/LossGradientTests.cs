using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Gradients;

public class LossGradientTests
{
    private static Tensor Outputs(int batch, int width, float scale, ulong seed = 4)
    {
        var rng = new Rng(seed);
        var t = new Tensor(batch, TensorShape.Vector(width));
        for (int i = 0; i < t.Length; i++) t.Span[i] = rng.NextFloat(-scale, scale);
        return t;
    }

    [Theory, InlineData(1), InlineData(4)]
    public void SoftmaxCrossEntropyGradient(int batch) =>
        GradientCheck.Loss(new SoftmaxCrossEntropy(), Outputs(batch, 5, 3), Enumerable.Range(0, batch).Select(i => (float)((i * 2) % 5)).ToArray());

    [Theory, InlineData(1), InlineData(4)]
    public void SigmoidBinaryCrossEntropyGradient(int batch)
    {
        var rng = new Rng(8);
        GradientCheck.Loss(new SigmoidBinaryCrossEntropy(), Outputs(batch, 3, 4), Enumerable.Range(0, batch * 3).Select(_ => rng.NextFloat() < 0.5f ? 0f : 1f).ToArray());
    }

    [Theory, InlineData(1), InlineData(4)]
    public void MeanSquaredErrorGradient(int batch)
    {
        var rng = new Rng(9);
        GradientCheck.Loss(new MeanSquaredError(), Outputs(batch, 2, 2), Enumerable.Range(0, batch * 2).Select(_ => rng.NextFloat(-1, 1)).ToArray());
    }

    [Fact]
    public void SoftmaxCrossEntropyMatchesTheDefinition()
    {
        // loss = -log(e^z_c / Σ e^z), by hand for z = (1, 2, 3), class 0: log(e + e² + e³) - 1.
        var z = new Tensor([1f, 2f, 3f], 1, TensorShape.Vector(3));
        double expected = Math.Log(Math.E + Math.Exp(2) + Math.Exp(3)) - 1;
        Assert.Equal(expected, new SoftmaxCrossEntropy().Compute(z, [0f], null), 5);
    }

    [Fact]
    public void SoftmaxCrossEntropyIsStableForHugeLogits()
    {
        // Naively e^1000 overflows; log-sum-exp gives exactly 1000 - 0 = 1000 for class 1... and 0 for class 0.
        var z = new Tensor([1000f, 0f], 1, TensorShape.Vector(2));
        var loss = new SoftmaxCrossEntropy();
        Assert.Equal(0f, loss.Compute(z, [0f], null), 5);
        Assert.Equal(1000f, loss.Compute(z, [1f], null), 2);
        var g = new Tensor(1, TensorShape.Vector(2));
        loss.Compute(z, [1f], g);
        Assert.Equal(1f, g.Span[0], 5);
        Assert.Equal(-1f, g.Span[1], 5);
    }

    [Fact]
    public void SigmoidBinaryCrossEntropyIsStableForHugeLogits()
    {
        var z = new Tensor([-500f, 500f], 1, TensorShape.Vector(2));
        // Targets (1, 0): each term is 500, the mean over two outputs 500.
        Assert.Equal(500f, new SigmoidBinaryCrossEntropy().Compute(z, [1f, 0f], null), 2);
        Assert.Equal(0f, new SigmoidBinaryCrossEntropy().Compute(z, [0f, 1f], null), 5);
    }

    [Fact]
    public void MeanSquaredErrorMatchesTheDefinition()
    {
        var z = new Tensor([1f, 2f, 3f, 4f], 2, TensorShape.Vector(2));
        // ((1-0)² + (2-2)² + (3-5)² + (4-4)²) / 4 = 5 / 4
        Assert.Equal(1.25f, new MeanSquaredError().Compute(z, [0f, 2f, 5f, 4f], null), 6);
    }

    [Fact]
    public void LabelOutOfRangeIsRejected()
    {
        var z = new Tensor(2, TensorShape.Vector(3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy().Compute(z, [0f, 3f], null));
        Assert.Contains("0..2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy().Compute(z, [0.5f, 1f], null));
    }
}
