using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>LayerNorm against <see cref="NormalizationReference"/> (double precision), over each sample's values, at batch 1 and 3.</summary>
public sealed class LayerNormTests
{
    public static TheoryData<int, int[]> Shapes() => new()
    {
        { 1, [7] }, { 3, [7] }, { 1, [2, 3, 4] }, { 3, [2, 3, 4] },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardAndBackwardEqualTheDoublePrecisionReference(int batch, int[] dims)
    {
        var shape = new TensorShape(dims);
        var layer = new LayerNorm();
        layer.Initialize(shape, new Rng(1));
        Assert.All(layer.Gamma.Value, g => Assert.Equal(1f, g));
        Assert.All(layer.Beta.Value, b => Assert.Equal(0f, b));
        var rng = new Rng(2);
        for (int i = 0; i < shape.Size; i++)
        {
            layer.Gamma.Value[i] = rng.NextFloat(0.5f, 2f);
            layer.Beta.Value[i] = rng.NextFloat(-1f, 1f);
        }
        var x = Enumerable.Range(0, batch * shape.Size).Select(_ => rng.NextFloat(-2f, 3f)).ToArray();
        var dy = Enumerable.Range(0, x.Length).Select(_ => rng.NextFloat(-1f, 1f)).ToArray();

        var y = layer.Forward(new Tensor((float[])x.Clone(), batch, shape), training: true).Span.ToArray();
        var dx = layer.Backward(new Tensor(dy, batch, shape)).Span.ToArray();
        // Inference computes the same: there are no batch statistics.
        Assert.Equal(y, layer.Forward(new Tensor((float[])x.Clone(), batch, shape), training: false).Span.ToArray());

        // One group a sample, over all its C*H*W values; γ and β belong to each value's position in the sample.
        int[][] samples = [.. Enumerable.Range(0, batch).Select(r => Enumerable.Range(r * shape.Size, shape.Size).ToArray())];
        var reference = NormalizationReference.Normalize(x, dy, samples,
            (_, i) => layer.Gamma.Value[i % shape.Size], (_, i) => layer.Beta.Value[i % shape.Size], 1e-5);
        NormalizationReference.AssertClose(reference.Y, y, 2e-6, "y");
        NormalizationReference.AssertClose(reference.Dx, dx, 2e-5, "dx");
        var dgamma = new double[shape.Size];
        var dbeta = new double[shape.Size];
        for (int r = 0; r < batch; r++)
        {
            double sigma = Math.Sqrt(reference.Variance[r] + 1e-5);
            for (int j = 0; j < shape.Size; j++)
            {
                int i = r * shape.Size + j;
                dgamma[j] += dy[i] * (x[i] - reference.Mean[r]) / sigma;
                dbeta[j] += dy[i];
            }
        }
        NormalizationReference.AssertClose(dgamma, layer.Gamma.Gradient, 1e-5, "dgamma");
        NormalizationReference.AssertClose(dbeta, layer.Beta.Gradient, 1e-5, "dbeta");
    }
}
