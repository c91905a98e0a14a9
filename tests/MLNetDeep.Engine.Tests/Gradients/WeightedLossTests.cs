using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Gradients;

public class WeightedLossTests
{
    private static Tensor Batch(int width, params float[] values) => new(values, values.Length / width, TensorShape.Vector(width));

    [Fact]
    public void SoftmaxCrossEntropyWeighsEachSample()
    {
        // Logits (0, ln 3) and (0, 0), labels 1 and 0: losses ln(4/3) and ln 2. Weights 2 and 0.5 over a batch of 2:
        // (2 ln(4/3) + 0.5 ln 2) / 2. Gradient row 0: 2 (softmax - onehot) / 2 = (1/4, -1/4); row 1: 0.5 (1/2 - 1, 1/2) / 2.
        var z = Batch(2, 0f, MathF.Log(3), 0f, 0f);
        var g = new Tensor(2, TensorShape.Vector(2));
        float loss = new SoftmaxCrossEntropy().Compute(z, [1f, 0f], [2f, 0.5f], g);
        Assert.Equal((2 * Math.Log(4.0 / 3) + 0.5 * Math.Log(2)) / 2, loss, 5);
        Assert.Equal([0.25f, -0.25f, -0.125f, 0.125f], g.Span.ToArray(), new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void MeanSquaredErrorWeighsEachSample()
    {
        // Errors (1, 2) and (3, 0) weighted 1 and 3 over 4 outputs: (1 + 4 + 3 * 9) / 4 = 8; gradient 2 w e / 4.
        var z = Batch(2, 1f, 2f, 3f, 0f);
        var g = new Tensor(2, TensorShape.Vector(2));
        float loss = new MeanSquaredError().Compute(z, [0f, 0f, 0f, 0f], [1f, 3f], g);
        Assert.Equal(8f, loss, 5);
        Assert.Equal([0.5f, 1f, 4.5f, 0f], g.Span.ToArray(), new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void BinaryCrossEntropyWithWeightZeroIgnoresTheSample()
    {
        // Logit 0 against target 1 weighs ln 2; the second sample, weight 0, adds nothing to the loss or the gradient.
        var z = Batch(1, 0f, 50f);
        var g = new Tensor(2, TensorShape.Vector(1));
        float loss = new SigmoidBinaryCrossEntropy().Compute(z, [1f, 0f], [1f, 0f], g);
        Assert.Equal(Math.Log(2) / 2, loss, 5);
        Assert.Equal([-0.25f, 0f], g.Span.ToArray(), new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void UnitWeightsGiveTheBitsOfTheUnweightedLoss()
    {
        var rng = new Rng(3);
        var values = Enumerable.Range(0, 40).Select(_ => rng.NextGaussian()).ToArray();
        var targets = Enumerable.Range(0, 10).Select(i => (float)(i % 4)).ToArray();
        var ones = Enumerable.Repeat(1f, 10).ToArray();
        foreach (Loss loss in new Loss[] { new SoftmaxCrossEntropy(), new MeanSquaredError() })
        {
            var t = loss is MeanSquaredError ? values.Select(v => v * 0.5f).ToArray() : targets;
            var z = Batch(4, values);
            Tensor plain = new(10, TensorShape.Vector(4)), weighted = new(10, TensorShape.Vector(4));
            Assert.Equal(loss.Compute(z, t, plain), loss.Compute(z, t, ones, weighted));
            Assert.Equal(plain.Span.ToArray(), weighted.Span.ToArray());
        }
    }

    [Fact]
    public void WeightsMustBeOnePerSample()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Compute(Batch(2, 0f, 0f), [0f], [1f, 1f], null));
        Assert.Equal("weights", e.ParamName);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
