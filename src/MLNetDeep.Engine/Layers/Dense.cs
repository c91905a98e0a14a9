using System.Numerics.Tensors;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// A fully connected layer, y = x Wᵀ + b, with W stored [units, inputs]. Images are read as
/// flat vectors (c*H*W + y*W + x), so no separate flatten step is needed before it.
/// </summary>
public sealed partial class Dense : Layer, ILayerFormat<Dense>
{
    private Parameter? _weight, _bias;
    private Tensor? _output, _gradInput, _input, _gradRectified;
    private float[] _foldScale = [], _foldShift = [];
    private bool _normalizedLast, _rectifiedLast;

    /// <summary>Creates a layer of <paramref name="units"/> outputs; weights drawn by <paramref name="initializer"/> (Xavier uniform by default), biases 0.</summary>
    public Dense(int units, Initializer? initializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        Units = units;
        Initializer = initializer ?? Initializer.XavierUniform;
    }

    static string ILayerFormat<Dense>.FormatTag => nameof(Dense);

    static int ILayerFormat<Dense>.FormatVersion => 1;

    /// <summary>The number of outputs.</summary>
    public int Units { get; }

    /// <summary>How the weights are drawn at <see cref="Layer.Initialize(Tensors.TensorShape, Tensors.Rng)"/>.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>The weight matrix, [units, inputs].</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The bias vector, [1, units].</summary>
    public Parameter Bias => _bias ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>
    /// The batch normalisation that follows this layer, when the network folded it in (<see cref="LayerFusion"/>):
    /// at inference this layer then computes y = (x Wᵀ) scale + (b scale + shift) with the normalisation's
    /// scale and shift, in the pass that would add the bias, and the normalisation passes its outputs through.
    /// </summary>
    internal BatchNorm? NormalizedBy { get; set; }

    /// <summary>
    /// True when the layer applies the ReLU that follows it itself, in the pass that adds the bias, row by row while
    /// each row is in cache, and the ReLU's derivative in the pass that sums the bias gradient (set by
    /// <see cref="LayerFusion"/> for a Dense followed by a <see cref="Activations.Relu"/>, which then passes this
    /// layer's outputs and gradients through). The bits are those of the two layers apart.
    /// </summary>
    internal bool Rectifies { get; set; }

    /// <summary>
    /// The dropout that follows this layer's fused ReLU, when the network fused the three: this layer then applies the
    /// dropout's mask to the gradient in the pass that applies the ReLU's derivative, one pass over the gradient fewer.
    /// </summary>
    internal Dropout? MaskedBy { get; set; }

    /// <summary>True when <paramref name="tensor"/> is the output of this layer's last forward pass, rectified when <see cref="Rectifies"/>.</summary>
    internal bool ProducedLast(Tensor tensor) => _rectifiedLast && ReferenceEquals(tensor, _output);

    /// <summary>True when <paramref name="tensor"/> is this layer's last output and that output is already normalised.</summary>
    internal bool ProducedNormalized(Tensor tensor) => _normalizedLast && ReferenceEquals(tensor, _output);

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        int inputs = inputShape.Size;
        _weight = builder.Parameter("weight", Units, inputs, isWeight: true);
        _bias = builder.Parameter("bias", 1, Units, isWeight: false);
        Initializer.Fill(_weight.Value, inputs, Units, builder.Random);
        return TensorShape.Vector(Units);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        int batch = input.Batch, inputs = InputShape.Size;
        var output = Tensor.Ensure(ref _output, batch, OutputShape);
        Gemm.Multiply(compute, false, true, batch, Units, inputs, 1f, input.Span, inputs, Weight.Value, inputs, 0f, output.Span, Units);
        _normalizedLast = !training && NormalizedBy is not null;
        if (_normalizedLast) FoldNormalization(ref _foldScale, ref _foldShift);
        _rectifiedLast = Rectifies && !_normalizedLast;
        if (_normalizedLast) DenseRowsJob.Forward(compute, output.Span, batch, _foldShift, _foldScale, rectify: false);
        else DenseRowsJob.Forward(compute, output.Span, batch, Bias.Value, default, _rectifiedLast);
        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        int batch = gradOutput.Batch, inputs = InputShape.Size;
        var dy = Rectify(gradOutput, compute);
        // dW = dYᵀ X  ([units, batch] x [batch, inputs])
        Gemm.Multiply(compute, true, false, Units, inputs, batch, 1f, dy, Units, input.Span, inputs, 0f, Weight.Gradient, inputs);
        var gradInput = Tensor.Ensure(ref _gradInput, batch, InputShape);
        if (ComputeInputGradient)
            Gemm.Multiply(compute, false, false, batch, inputs, Units, 1f, dy, Units, Weight.Value, inputs, 0f, gradInput.Span, inputs);
        return gradInput;
    }

    /// <summary>
    /// The bias gradient db, the column sums of dY in row order (the same additions whatever the thread count), and dY
    /// itself, which the products then read. When the layer fused the ReLU: the ReLU's derivative applied to
    /// <paramref name="gradOutput"/> (dy where the output is above 0, else dy * 0, as <see cref="Activations.Relu"/>
    /// computes it from its input, which is above 0 exactly where its output is), after the fused dropout's mask when the
    /// dropout passed its gradient through (dy * mask, as <see cref="Dropout"/> computes it), in the same pass.
    /// </summary>
    private Span<float> Rectify(Tensor gradOutput, ComputeContext compute)
    {
        var dy = gradOutput.Span;
        if (!_rectifiedLast)
        {
            DenseRowsJob.Backward(compute, default, dy, default, dy, Bias.Gradient, gradOutput.Batch, rectify: false);
            return dy;
        }
        var rectified = Tensor.Ensure(ref _gradRectified, gradOutput.Batch, OutputShape).Span;
        var mask = MaskedBy is { } dropout ? dropout.PassedMask(gradOutput.Length) : default;
        DenseRowsJob.Backward(compute, _output!.Span, dy, mask, rectified, Bias.Gradient, gradOutput.Batch, rectify: true);
        return rectified;
    }

    /// <summary>
    /// One row at a time, the weights laid out for one-sample products (<see cref="RowWeights"/>): a call streams
    /// through W once instead of repacking it, and sums every output as the batch product does, so a sample scored
    /// alone gets the bits it gets in a batch.
    /// </summary>
    internal override RowStep CreateRowStep(ComputeContext compute)
    {
        var weights = new RowWeights(compute, Weight.Value, Units, InputShape.Size);
        if (NormalizedBy is null) return new DenseRowStep(weights, Bias.Value, new Tensor(1, OutputShape));
        float[] scale = [], shift = [];
        FoldNormalization(ref scale, ref shift);
        return new NormalizedDenseRowStep(weights, scale, shift, new Tensor(1, OutputShape));
    }

    /// <summary>The folded normalisation's scale, and its shift with this layer's bias folded in: b scale + shift.</summary>
    private void FoldNormalization(ref float[] scale, ref float[] shift)
    {
        if (scale.Length != Units) (scale, shift) = (new float[Units], new float[Units]);
        NormalizedBy!.InferenceAffine(scale, shift);
        TensorPrimitives.MultiplyAdd(Bias.Value, scale, shift, shift);
    }

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer) => writer.Write(Units);

    static Dense ILayerFormat<Dense>.ReadConfig(LayerReader reader, int version) => new(reader.ReadSize("units"));

    /// <inheritdoc/>
    public override string ToString() => $"Dense({Units})";

    private sealed class DenseRowStep(RowWeights weights, float[] bias, Tensor output) : RowStep
    {
        // Forward's arithmetic: the product, then the bias added.
        public override Tensor Run(Tensor input)
        {
            weights.Multiply(input.Span, output.Span);
            TensorPrimitives.Add(output.Span, bias, output.Span);
            return output;
        }
    }

    private sealed class NormalizedDenseRowStep(RowWeights weights, float[] scale, float[] shift, Tensor output) : RowStep
    {
        // Forward's folded arithmetic: the product, then scaled and shifted in one pass.
        public override Tensor Run(Tensor input)
        {
            weights.Multiply(input.Span, output.Span);
            TensorPrimitives.MultiplyAdd(output.Span, scale, shift, output.Span);
            return output;
        }
    }
}
