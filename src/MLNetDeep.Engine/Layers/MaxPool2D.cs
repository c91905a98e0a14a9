using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Max pooling: each output is the largest value under its window. Forward records which input
/// won (the first, in row-major window order, on ties) and Backward routes the gradient there.
/// </summary>
public sealed partial class MaxPool2D : Pool2D
{
    private Tensor? _output, _gradInput;
    private int[] _argmax = [];

    /// <summary>Creates the layer; <paramref name="stride"/> defaults to <paramref name="size"/>.</summary>
    public MaxPool2D(int size, int? stride = null) : base(size, stride) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        if (_argmax.Length < output.Length) _argmax = new int[output.Length];
        PoolingKernels.MaxPool(Geometry, input.Batch, input.Span, output.Span, _argmax);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        if (ComputeInputGradient)
            PoolingKernels.MaxPoolBackward(Geometry, gradOutput.Batch, gradOutput.Span, _argmax.AsSpan(0, gradOutput.Length), gradInput.Span);
        return gradInput;
    }
}
