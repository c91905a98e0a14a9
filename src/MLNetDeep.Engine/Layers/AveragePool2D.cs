using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;

namespace MLNetDeep.Engine.Layers;

/// <summary>Average pooling: each output is the mean of the values under its window.</summary>
public sealed partial class AveragePool2D : Pool2D, ILayerFormat<AveragePool2D>
{
    private Tensor? _output, _gradInput;

    /// <summary>Creates the layer; <paramref name="stride"/> defaults to <paramref name="size"/>.</summary>
    public AveragePool2D(int size, int? stride = null) : base(size, stride) { }

    static string ILayerFormat<AveragePool2D>.FormatTag => nameof(AveragePool2D);

    static int ILayerFormat<AveragePool2D>.FormatVersion => 1;

    static AveragePool2D ILayerFormat<AveragePool2D>.ReadConfig(LayerReader reader, int version) =>
        new(reader.ReadWindow("pool size"), reader.ReadWindow("stride"));

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        PoolingKernels.AveragePool(compute, Geometry, input.Batch, input.Span, output.Span);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        if (ComputeInputGradient)
            PoolingKernels.AveragePoolBackward(compute, Geometry, gradOutput.Batch, gradOutput.Span, gradInput.Span);
        return gradInput;
    }
}
