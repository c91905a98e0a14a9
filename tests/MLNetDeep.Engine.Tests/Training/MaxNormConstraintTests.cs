using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>The max-norm constraint on the rows of a weight matrix (one unit's incoming weights), against hand values.</summary>
public class MaxNormConstraintTests
{
    private static Parameter[] MakeLayer()
    {
        var weight = new Parameter("weight", 3, 2, isWeight: true);
        float[] rows = [3f, 4f, /* norm 5 */ 0.6f, 0.8f, /* norm 1 */ 0f, -2f /* norm 2 */];
        rows.CopyTo(weight.Value, 0);
        var bias = new Parameter("bias", 1, 3, isWeight: false);
        float[] biases = [30f, 40f, 50f];
        biases.CopyTo(bias.Value, 0);
        return [weight, bias];
    }

    [Fact]
    public void RowsAboveTheLimitAreScaledOntoIt()
    {
        Parameter[] layer = MakeLayer();
        int rescaled = MaxNormConstraint.Apply(layer, maxNorm: 2f);

        Assert.Equal(1, rescaled);
        Assert.Equal(1.2f, layer[0].Value[0], 1e-6f); // (3, 4) * 2 / 5
        Assert.Equal(1.6f, layer[0].Value[1], 1e-6f);
        Assert.Equal([0.6f, 0.8f, 0f, -2f], layer[0].Value[2..]); // within the limit, or exactly on it
        Assert.Equal([30f, 40f, 50f], layer[1].Value);              // biases are not constrained
    }

    [Fact]
    public void EveryRowIsJudgedOnItsOwn()
    {
        Parameter[] layer = MakeLayer();
        Assert.Equal(3, MaxNormConstraint.Apply(layer, maxNorm: 0.5f));
        for (int row = 0; row < 3; row++)
        {
            float[] w = layer[0].Value[(2 * row)..(2 * row + 2)];
            Assert.Equal(0.5, Math.Sqrt(w[0] * (double)w[0] + w[1] * (double)w[1]), 1e-6);
        }
        Assert.Equal(0.3f, layer[0].Value[2], 1e-6f); // (0.6, 0.8) * 0.5 keeps its direction
        Assert.Equal(0.4f, layer[0].Value[3], 1e-6f);
    }

    [Fact]
    public void ApplyingAllocatesNothing()
    {
        Parameter[] layer = [new("weight", 64, 100, isWeight: true), new("bias", 1, 64, isWeight: false)];
        AllocationCheck.AssertNone(() =>
        {
            Array.Fill(layer[0].Value, 1f);
            MaxNormConstraint.Apply(layer, 1f);
        });
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-3f)]
    [InlineData(float.NaN)]
    public void MaxNormMustBeFiniteAndPositive(float maxNorm)
    {
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => MaxNormConstraint.Apply(MakeLayer(), maxNorm)).ParamName);
        Assert.Throws<ArgumentNullException>(() => MaxNormConstraint.Apply(null!, 1f));
    }
}
