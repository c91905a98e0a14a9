using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Layers;

/// <summary>Average pooling: each output is the mean of the values under its window.</summary>
public sealed partial class AveragePool2D : Pool2D
{
    private Tensor? _output, _gradInput;

    /// <summary>Creates the layer; <paramref name="stride"/> defaults to <paramref name="size"/>.</summary>
    public AveragePool2D(int size, int? stride = null) : base(size, stride) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        PoolingKernels.AveragePool(Geometry, input.Batch, input.Span, output.Span);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        if (ComputeInputGradient)
            PoolingKernels.AveragePoolBackward(Geometry, gradOutput.Batch, gradOutput.Span, gradInput.Span);
        return gradInput;
    }
}
