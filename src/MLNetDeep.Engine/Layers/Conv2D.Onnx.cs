using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// Conv2D as Conv: the weights [filters, C*k*k], laid out (c, ky, kx), are ONNX's [M, C, kH, kW] as they are.
public sealed partial class Conv2D
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        // A ReLU the network fused into this convolution is written by the Relu layer that follows.
        string weight = graph.AddInitializer("conv_weight", Weight.Value, [Filters, InputShape[0], KernelSize, KernelSize]);
        string bias = graph.AddInitializer("conv_bias", Bias.Value, [Filters]);
        return graph.Apply("Conv", [input, weight, bias],
            OnnxAttribute.Ints("kernel_shape", KernelSize, KernelSize),
            OnnxAttribute.Ints("strides", Stride, Stride),
            OnnxAttribute.Ints("pads", Padding, Padding, Padding, Padding),
            OnnxAttribute.Ints("dilations", 1, 1),
            OnnxAttribute.Int("group", 1));
    }
}
