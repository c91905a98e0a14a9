using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// BatchNorm at inference. An image [N, C, H, W]: BatchNormalization with the running statistics. A vector [N, F]:
// Mul and Add with the scale and shift the engine computes from them (the operator reads its channels on axis 1
// of an input of rank 3 or more in every runtime, a plain affine needs no reshape). A fold into the layer before
// is the engine's own: that layer writes its unfolded form.
public sealed partial class BatchNorm
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        if (InputShape.Rank == 3)
        {
            long[] dims = [_channels];
            return graph.Apply("BatchNormalization",
                [input, graph.AddInitializer("bn_gamma", Gamma.Value, dims), graph.AddInitializer("bn_beta", Beta.Value, dims),
                 graph.AddInitializer("bn_mean", RunningMean.Value, dims), graph.AddInitializer("bn_var", RunningVariance.Value, dims)],
                OnnxAttribute.Float("epsilon", Epsilon));
        }
        var scale = new float[_channels];
        var shift = new float[_channels];
        InferenceAffine(scale, shift);
        string scaled = graph.Apply("Mul", [input, graph.AddInitializer("bn_scale", scale, [_channels])]);
        return graph.Apply("Add", [scaled, graph.AddInitializer("bn_shift", shift, [_channels])]);
    }
}
