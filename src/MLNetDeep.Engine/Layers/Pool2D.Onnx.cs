using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// The pools' common attributes: a square window, no padding, outputs rounded down (ONNX's default ceil_mode 0).
public abstract partial class Pool2D
{
    /// <summary>Adds the pooling operator <paramref name="opType"/> over this layer's window.</summary>
    private protected string WritePoolOnnx(OnnxGraphBuilder graph, string input, string opType) =>
        graph.Apply(opType, input,
            OnnxAttribute.Ints("kernel_shape", Size, Size),
            OnnxAttribute.Ints("strides", Stride, Stride),
            OnnxAttribute.Ints("pads", 0, 0, 0, 0));
}
