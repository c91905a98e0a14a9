using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// A 2-D convolution (cross-correlation, as in every deep-learning library) with square kernels:
/// input [C, H, W], output [filters, H', W'] with H' = (H + 2 padding - kernel) / stride + 1.
/// Weights are stored [filters, C*k*k], each row a filter laid out (c, ky, kx); biases [1, filters].
/// </summary>
/// <remarks>
/// Computed by <see cref="Convolution"/> as im2col + GEMM image by image, images spread over the
/// kernel threads. Backward unfolds the cached input again (cheaper than keeping every image's
/// column matrix), and sums the weight gradient in an order that does not depend on the thread count.
/// </remarks>
public sealed partial class Conv2D : Layer
{
    private Parameter? _weight, _bias;
    private Parameter[] _parameters = [];
    private ConvGeometry _geometry;
    private Tensor? _output, _gradInput, _input;
    private float[] _scratch = [];

    /// <summary>
    /// Creates a layer of <paramref name="filters"/> kernels of <paramref name="kernelSize"/> x
    /// <paramref name="kernelSize"/>; weights drawn by <paramref name="initializer"/> (He normal by
    /// default, fan-in C*k*k, fan-out filters*k*k), biases 0.
    /// </summary>
    public Conv2D(int filters, int kernelSize, int stride = 1, int padding = 0, Initializer? initializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(filters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Initializer = initializer ?? Initializer.HeNormal;
    }

    /// <summary>The number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The side of each square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>How many pixels the kernel moves between outputs.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on each side of the input.</summary>
    public int Padding { get; }

    /// <summary>How the weights are drawn at <see cref="Layer.Initialize"/>.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>
    /// True when the layer applies the ReLU that follows it in its network itself, image by image
    /// while the outputs are in cache (set by <see cref="Network"/> for a Conv2D followed by a
    /// <see cref="Activations.Relu"/>, which then passes this layer's outputs and gradients through).
    /// </summary>
    internal bool Rectifies { get; set; }

    /// <summary>True when <paramref name="tensor"/> is the output of this layer's last forward pass.</summary>
    internal bool ProducedLast(Tensor tensor) => ReferenceEquals(tensor, _output);

    /// <summary>The filters, [filters, C*k*k], each row laid out (c, ky, kx).</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The bias of each filter, [1, filters].</summary>
    public Parameter Bias => _bias ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    internal override long ParameterValueCount(TensorShape inputShape)
    {
        if (inputShape.Rank != 3 || (long)inputShape[1] + 2L * Padding < KernelSize || (long)inputShape[2] + 2L * Padding < KernelSize)
            return 0; // Build refuses it, saying why
        double values = (double)Filters * inputShape[0] * KernelSize * KernelSize + Filters; // may exceed long: saturate
        return values < long.MaxValue ? (long)values : long.MaxValue;
    }

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, Rng rng)
    {
        _geometry = ConvGeometry.Of(inputShape, KernelSize, Stride, Padding, ToString());
        int patch = _geometry.PatchSize;
        _weight = new Parameter("weight", Filters, patch, isWeight: true);
        _bias = new Parameter("bias", 1, Filters, isWeight: false);
        _parameters = [_weight, _bias];
        Initializer.Fill(_weight.Value, patch, Filters * KernelSize * KernelSize, rng);
        return TensorShape.Image(Filters, _geometry.OutputHeight, _geometry.OutputWidth);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        Convolution.Forward(_geometry, Filters, input.Batch, input.Span, Weight.Value, Bias.Value, output.Span, Rectifies);
        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        int batch = gradOutput.Batch;
        var gradInput = Tensor.Ensure(ref _gradInput, batch, InputShape);
        int scratch = Convolution.BackwardScratchLength(_geometry, Filters, batch);
        if (_scratch.Length < scratch) _scratch = new float[scratch];
        Convolution.Backward(_geometry, Filters, batch, input.Span, Weight.Value, gradOutput.Span, Weight.Gradient, Bias.Gradient,
            ComputeInputGradient ? gradInput.Span : [], _scratch, Rectifies ? _output!.Span : default);
        return gradInput;
    }

    internal override void WriteConfig(BinaryWriter writer)
    {
        writer.Write(Filters);
        writer.Write(KernelSize);
        writer.Write(Stride);
        writer.Write(Padding);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Conv2D({Filters}, {KernelSize}" + (Stride != 1 ? $", stride {Stride}" : "") + (Padding != 0 ? $", padding {Padding}" : "") + ")";
}
