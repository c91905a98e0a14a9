using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Activations;

/// <summary>
/// An element-wise activation: the output has the input's shape. Forward keeps a reference to
/// its input and its output, which is all any of these functions needs for its derivative.
/// </summary>
public abstract class ActivationLayer : Layer
{
    private Tensor? _output, _gradInput, _input;

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, Rng rng) => inputShape;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        Apply(input.Span, output.Span);
        _input = input;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_input is null || _output is null) throw new InvalidOperationException($"{this}: Backward called before Forward.");
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        Derivative(_input.Span, _output.Span, gradOutput.Span, gradInput.Span);
        return gradInput;
    }

    /// <summary>Computes y = f(x).</summary>
    protected abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Computes dx = f'(x) * dy, given the forward input x and output y.</summary>
    protected abstract void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);
}
