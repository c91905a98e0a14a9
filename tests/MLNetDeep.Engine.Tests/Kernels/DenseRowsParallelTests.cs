using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Tests.Kernels;

/// <summary>
/// A dense layer's passes around its products (bias and ReLU forward; dropout mask, ReLU derivative and bias
/// gradient backward) on outputs large enough to be shared among the threads: the same bits with one thread or two,
/// and each element and column sum what the definition, computed here one scalar at a time, gives.
/// </summary>
[Collection(nameof(KernelSettingsCollection))]
public sealed class DenseRowsParallelTests
{
    // Units not a multiple of a vector or of a part of columns: the last part is short and ends in a scalar tail.
    private const int Batch = 131, Units = 517;

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void TwoThreadsGiveWhatOneGivesAndWhatTheDefinitionSays(bool rectify, bool masked)
    {
        var rng = new Random(7);
        float Draw(int i) => i % 23 == 0 ? -0f : i % 29 == 0 ? 0f : (float)(rng.NextDouble() * 2 - 1);
        var product = Enumerable.Range(0, Batch * Units).Select(Draw).ToArray();
        var bias = Enumerable.Range(0, Units).Select(Draw).ToArray();
        var dy = Enumerable.Range(0, Batch * Units).Select(i => i % 31 == 0 ? float.PositiveInfinity : Draw(i)).ToArray();
        var mask = masked ? Enumerable.Range(0, Batch * Units).Select(i => i % 5 == 0 ? 0f : 1.25f).ToArray() : [];

        (float[] Y, float[] Rectified, float[] Db, long Runs) Run(int threads)
        {
            var compute = ComputeContext.Create(threads);
            long before = compute.Pool.Runs;
            var y = (float[])product.Clone();
            DenseRowsJob.Forward(compute, y, Batch, bias, default, rectify);
            var rectified = new float[y.Length];
            var db = new float[Units];
            DenseRowsJob.Backward(compute, y, dy, mask, rectify || masked ? rectified : dy, db, Batch, rectify);
            return (y, rectified, db, compute.Pool.Runs - before);
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(0, one.Runs);
        // The forward pass, and the backward one's element-wise part where there is one; the sums run on the caller.
        Assert.Equal(rectify || masked ? 2 : 1, two.Runs);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Rectified, two.Rectified);
        Assert.Equal(one.Db, two.Db);

        var sums = new float[Units];
        for (int r = 0; r < Batch; r++)
            for (int c = 0; c < Units; c++)
            {
                int i = r * Units + c;
                float y = product[i] + bias[c];
                if (rectify) y = MathF.Max(y, 0f);
                Assert.Equal(y, two.Y[i]);
                float g = dy[i];
                if (masked) g *= mask[i];
                if (rectify) g = y > 0 ? g : g * 0f;
                if (rectify || masked) Assert.Equal(g, two.Rectified[i]);
                sums[c] += g;
            }
        Assert.Equal(sums, two.Db);
    }
}
