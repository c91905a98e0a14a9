using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Activations;

/// <summary>
/// An element-wise activation: the output has the input's shape. Forward keeps a reference to
/// its input and its output, which is all any of these functions needs for its derivative.
/// </summary>
public abstract partial class ActivationLayer : Layer
{
    private Tensor? _output, _gradInput, _input;

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder) => inputShape;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        Apply(compute, input.Span, output.Span);
        _input = input;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        if (_input is null || _output is null) throw new InvalidOperationException($"{this}: Backward called before Forward.");
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        Derivative(compute, _input.Span, _output.Span, gradOutput.Span, gradInput.Span);
        return gradInput;
    }

    /// <summary>Computes y = f(x); <paramref name="compute"/> says which threads a large array may use.</summary>
    protected abstract void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Computes dx = f'(x) * dy, given the forward input x and output y.</summary>
    protected abstract void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
}
