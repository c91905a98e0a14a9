using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
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
public sealed partial class Conv2D : Layer, ILayerFormat<Conv2D>
{
    private Parameter? _weight, _bias;
    private ConvGeometry _geometry;
    private Tensor? _output, _gradInput, _input;
    private float[] _scratch = [];
    private float[] _foldedWeight = [], _foldedBias = [], _foldedShift = [];
    private bool _normalizedLast, _pooledLast;

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

    /// <summary>
    /// Creates a layer whose padding is named: <see cref="ConvPadding.Same"/> ((kernel - 1) / 2 zeros a side, odd
    /// kernels only) keeps the image size at stride 1; <see cref="ConvPadding.Valid"/> pads nothing. The model file
    /// stores the padding it resolves to, so a saved layer loads with that number.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="padding"/> is Same and <paramref name="kernelSize"/> is even.</exception>
    public Conv2D(int filters, int kernelSize, ConvPadding padding, int stride = 1, Initializer? initializer = null)
        : this(filters, kernelSize, stride, PaddingFor(padding, kernelSize), initializer) { }

    /// <summary>The zeros a side that <paramref name="padding"/> means for a kernel of <paramref name="kernelSize"/>.</summary>
    public static int PaddingFor(ConvPadding padding, int kernelSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        return padding switch
        {
            ConvPadding.Valid => 0,
            ConvPadding.Same when kernelSize % 2 == 1 => (kernelSize - 1) / 2,
            ConvPadding.Same => throw new ArgumentException(
                $"Same padding needs an odd kernel size (got {kernelSize}): an even kernel would need one more zero on one side than the other. Give the padding as a number instead.", nameof(kernelSize)),
            _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding."),
        };
    }

    static string ILayerFormat<Conv2D>.FormatTag => nameof(Conv2D);

    static int ILayerFormat<Conv2D>.FormatVersion => 1;

    /// <summary>The number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The side of each square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>How many pixels the kernel moves between outputs.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on each side of the input.</summary>
    public int Padding { get; }

    /// <summary>How the weights are drawn at <see cref="Layer.Initialize(TensorShape, Rng)"/>.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>
    /// True when the layer applies the ReLU that follows it itself, image by image while the outputs are in
    /// cache (set by <see cref="LayerFusion"/> for a Conv2D followed by a <see cref="Activations.Relu"/>, which
    /// then passes this layer's outputs and gradients through).
    /// </summary>
    internal bool Rectifies { get; set; }

    /// <summary>
    /// The batch normalisation that follows this layer, when the network folded it in (<see cref="LayerFusion"/>):
    /// at inference this layer then convolves with W scale and b scale + shift, the normalisation's scale and shift
    /// folded into each filter (recomputed each pass, a filters x C k² cost), and the normalisation passes its outputs through.
    /// </summary>
    internal BatchNorm? NormalizedBy { get; set; }

    /// <summary>
    /// The max pooling that follows this layer (or its fused ReLU), when the network fused it in
    /// (<see cref="LayerFusion"/>): each image's outputs are then pooled while in cache and only the pooling's
    /// outputs reach memory; this layer's own output tensor is left unwritten, and the pooling passes its
    /// outputs and, backward, the gradient through.
    /// </summary>
    internal MaxPool2D? PooledBy { get; set; }

    /// <summary>True when <paramref name="tensor"/> is this layer's last output and that pass wrote the pooling's outputs instead.</summary>
    internal bool ProducedPooled(Tensor tensor) => _pooledLast && ReferenceEquals(tensor, _output);

    /// <summary>True when <paramref name="tensor"/> is this layer's last output and that output is already normalised.</summary>
    internal bool ProducedNormalized(Tensor tensor) => _normalizedLast && ReferenceEquals(tensor, _output);

    /// <summary>True when <paramref name="tensor"/> is the output of this layer's last forward pass.</summary>
    internal bool ProducedLast(Tensor tensor) => ReferenceEquals(tensor, _output);

    /// <summary>The filters, [filters, C*k*k], each row laid out (c, ky, kx).</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The bias of each filter, [1, filters].</summary>
    public Parameter Bias => _bias ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        _geometry = ConvGeometry.Of(inputShape, KernelSize, Stride, Padding, ToString());
        int patch = _geometry.PatchSize;
        _weight = builder.Parameter("weight", Filters, patch, isWeight: true);
        _bias = builder.Parameter("bias", 1, Filters, isWeight: false);
        Initializer.Fill(_weight.Value, patch, Filters * KernelSize * KernelSize, builder.Random);
        return TensorShape.Image(Filters, _geometry.OutputHeight, _geometry.OutputWidth);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        _normalizedLast = !training && NormalizedBy is not null;
        if (_normalizedLast) FoldNormalization();
        _pooledLast = PooledBy is not null && !_normalizedLast;
        if (_pooledLast)
        {
            var (pooled, argmax) = PooledBy!.FusedOutputs(input.Batch);
            Convolution.ForwardPooled(compute, _geometry, Filters, input.Batch, input.Span, Weight.Value, Bias.Value, Rectifies,
                PooledBy.Window, pooled.Span, argmax);
        }
        else
        {
            Convolution.Forward(compute, _geometry, Filters, input.Batch, input.Span, _normalizedLast ? _foldedWeight : Weight.Value,
                _normalizedLast ? _foldedBias : Bias.Value, output.Span, Rectifies);
        }
        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        int batch = gradOutput.Batch;
        var gradInput = Tensor.Ensure(ref _gradInput, batch, InputShape);
        int scratch = Convolution.BackwardScratchLength(_geometry, Filters, batch);
        if (_scratch.Length < scratch) _scratch = new float[scratch];
        var dx = ComputeInputGradient ? gradInput.Span : [];
        if (PooledBy is { } pool && pool.RoutedLast(gradOutput, out var pooledGradient, out var argmax, out var pooled))
        {
            Convolution.BackwardPooled(compute, _geometry, Filters, batch, input.Span, Weight.Value, pool.Window, pooledGradient, argmax,
                Rectifies ? pooled : default, Weight.Gradient, Bias.Gradient, dx, _scratch);
            return gradInput;
        }
        Convolution.Backward(compute, _geometry, Filters, batch, input.Span, Weight.Value, gradOutput.Span, Weight.Gradient, Bias.Gradient,
            dx, _scratch, Rectifies ? _output!.Span : default);
        return gradInput;
    }

    /// <summary>Each filter and its bias times the normalisation's scale, the bias plus its shift.</summary>
    private void FoldNormalization()
    {
        int patch = _geometry.PatchSize;
        if (_foldedBias.Length != Filters) (_foldedWeight, _foldedBias, _foldedShift) = (new float[Filters * patch], new float[Filters], new float[Filters]);
        NormalizedBy!.InferenceAffine(_foldedBias, _foldedShift);
        for (int f = 0; f < Filters; f++)
            System.Numerics.Tensors.TensorPrimitives.Multiply(Weight.Value.AsSpan(f * patch, patch), _foldedBias[f], _foldedWeight.AsSpan(f * patch, patch));
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(Bias.Value, _foldedBias, _foldedShift, _foldedBias);
    }

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer)
    {
        writer.Write(Filters);
        writer.Write(KernelSize);
        writer.Write(Stride);
        writer.Write(Padding);
    }

    // Arguments are read left to right, the order WriteConfig wrote them in.
    static Conv2D ILayerFormat<Conv2D>.ReadConfig(LayerReader reader, int version) =>
        new(reader.ReadSize("filters"), reader.ReadSize("kernel size"), reader.ReadWindow("stride"), reader.ReadWindow("padding", min: 0));

    /// <inheritdoc/>
    public override string ToString() =>
        $"Conv2D({Filters}, {KernelSize}" + (Stride != 1 ? $", stride {Stride}" : "") + (Padding != 0 ? $", padding {Padding}" : "") + ")";
}
