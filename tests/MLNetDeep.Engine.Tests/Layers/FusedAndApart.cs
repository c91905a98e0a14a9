using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>The check every fusion test makes: a network with fused layers and the same network apart take a training step and predict with the same bits.</summary>
internal static class FusedAndApart
{
    /// <summary>
    /// One training step of each on <paramref name="x"/>: outputs, loss, every parameter's gradient, compared exactly, then
    /// predictions, exactly or, where the fused network folds a batch normalisation into the layer before it at inference
    /// (which rounds differently), within <paramref name="predictionTolerance"/>.
    /// </summary>
    public static void AssertSameStep(Network fused, Network apart, Tensor x, float[] labels, ComputeContext compute, float predictionTolerance = 0)
    {
        var (yf, gf, lf) = Step(fused, x, labels, compute);
        var (ya, ga, la) = Step(apart, x, labels, compute);
        Assert.Equal(ya, yf);
        Assert.Equal(la, lf);
        Assert.Equal(ga.Length, gf.Length);
        for (int p = 0; p < ga.Length; p++) Assert.Equal(ga[p], gf[p]);
        int outputs = yf.Length / x.Batch;
        var pf = new float[x.Batch * outputs];
        var pa = new float[x.Batch * outputs];
        fused.Predict(x.Span, x.Batch, pf, compute: compute);
        apart.Predict(x.Span, x.Batch, pa, compute: compute);
        if (predictionTolerance == 0) Assert.Equal(pa, pf);
        else for (int i = 0; i < pa.Length; i++) Assert.Equal(pa[i], pf[i], predictionTolerance);
    }

    private static (float[] Output, float[][] Gradients, float Loss) Step(Network network, Tensor x, float[] labels, ComputeContext compute)
    {
        var output = network.Forward(x, training: true, compute);
        var gradient = new Tensor(x.Batch, output.SampleShape);
        float loss = network.Loss.Compute(output, labels, gradient);
        network.Backward(gradient, compute);
        return (output.Span.ToArray(), network.Parameters.Select(p => p.Gradient.ToArray()).ToArray(), loss);
    }
}
