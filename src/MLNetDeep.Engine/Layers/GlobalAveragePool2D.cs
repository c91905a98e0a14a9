using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Global average pooling: each channel of an image [C, H, W] becomes its mean, giving a vector [C] (Keras's
/// GlobalAveragePooling2D, PyTorch's AdaptiveAvgPool2d(1) then flatten). It replaces a large dense layer at the
/// end of a convolutional network, and has no parameters.
/// </summary>
public sealed partial class GlobalAveragePool2D : Layer, ILayerFormat<GlobalAveragePool2D>
{
    private Tensor? _output, _gradInput;
    private int _pixels;

    static string ILayerFormat<GlobalAveragePool2D>.FormatTag => nameof(GlobalAveragePool2D);

    static int ILayerFormat<GlobalAveragePool2D>.FormatVersion => 1;

    static GlobalAveragePool2D ILayerFormat<GlobalAveragePool2D>.ReadConfig(LayerReader reader, int version) => new();

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"{this} needs an image input [C, H, W]; got {inputShape}.", nameof(inputShape));
        _pixels = inputShape[1] * inputShape[2];
        return TensorShape.Vector(inputShape[0]);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        GlobalPoolingKernels.Average(input.Span, output.Span, input.Batch * OutputShape.Size, _pixels);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        if (ComputeInputGradient)
            GlobalPoolingKernels.AverageBackward(gradOutput.Span, gradInput.Span, gradOutput.Batch * OutputShape.Size, _pixels);
        return gradInput;
    }

    /// <inheritdoc/>
    public override string ToString() => "GlobalAveragePool2D()";
}
