using System.Numerics.Tensors;
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
/// Computed as im2col + GEMM over blocks of samples: the column matrices of a block stand side
/// by side, [C*k*k, block*H'*W'], so one product out = W x columns serves the whole block.
/// Backward recomputes the columns from the cached input (cheaper than keeping them for a whole
/// batch) and takes dW += dOut x columnsᵀ, dColumns = Wᵀ x dOut, then col2im for dInput.
/// The block size depends only on the layer's shapes and the batch, and every sum runs in a
/// fixed order, so results do not depend on the number of kernel threads.
/// </remarks>
public sealed class Conv2D : Layer
{
    /// <summary>
    /// The most values one block's column matrix may hold: 2^20 floats (4 MB) stays in the
    /// last-level cache between unfolding and the product, and still gives the product thousands
    /// of columns to share among threads.
    /// </summary>
    private const int MaxBlockValues = 1 << 20;

    private Parameter? _weight, _bias;
    private Parameter[] _parameters = [];
    private ConvGeometry _geometry;
    private Tensor? _output, _gradInput, _input;
    private float[] _columns = [], _products = [];

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
        var g = _geometry;
        int batch = input.Batch, patch = g.PatchSize, pixels = g.OutputPixels;
        var output = Tensor.Ensure(ref _output, batch, OutputShape);
        int block = BlockSize(batch);
        var weight = Weight.Value;
        var bias = Bias.Value;
        for (int start = 0; start < batch; start += block)
        {
            int count = Math.Min(block, batch - start), width = count * pixels;
            var columns = _columns.AsSpan(0, patch * width);
            for (int i = 0; i < count; i++) Im2Col.Unfold(g, input.Row(start + i), columns[(i * pixels)..], width);
            // products [filters, block*H'W'] = W [filters, C*k*k] x columns [C*k*k, block*H'W']
            var products = _products.AsSpan(0, Filters * width);
            Gemm.Multiply(false, false, Filters, width, patch, 1f, weight, patch, columns, width, 0f, products, width);
            // Back to batch-first [filters, H'W'] per sample, adding the bias on the way.
            for (int i = 0; i < count; i++)
            {
                var y = output.Row(start + i);
                for (int f = 0; f < Filters; f++)
                    TensorPrimitives.Add(products.Slice(f * width + i * pixels, pixels), bias[f], y.Slice(f * pixels, pixels));
            }
        }
        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        var g = _geometry;
        int batch = gradOutput.Batch, patch = g.PatchSize, pixels = g.OutputPixels;
        int block = BlockSize(batch);
        var weight = Weight.Value;
        var dWeight = Weight.Gradient;
        var dBias = Bias.Gradient.AsSpan();
        dBias.Clear();
        var gradInput = Tensor.Ensure(ref _gradInput, batch, InputShape);
        for (int start = 0; start < batch; start += block)
        {
            int count = Math.Min(block, batch - start), width = count * pixels;
            // dOut of the block side by side, [filters, block*H'W'], the layout of the forward product.
            var dOut = _products.AsSpan(0, Filters * width);
            for (int i = 0; i < count; i++)
            {
                var dy = gradOutput.Row(start + i);
                for (int f = 0; f < Filters; f++)
                {
                    var plane = dy.Slice(f * pixels, pixels);
                    plane.CopyTo(dOut.Slice(f * width + i * pixels, pixels));
                    dBias[f] += TensorPrimitives.Sum(plane);
                }
            }
            var columns = _columns.AsSpan(0, patch * width);
            for (int i = 0; i < count; i++) Im2Col.Unfold(g, input.Row(start + i), columns[(i * pixels)..], width);
            // dW (+)= dOut [filters, block*H'W'] x columnsᵀ [block*H'W', C*k*k]; blocks add in order.
            Gemm.Multiply(false, true, Filters, patch, width, 1f, dOut, width, columns, width, start == 0 ? 0f : 1f, dWeight, patch);
            if (!ComputeInputGradient) continue;
            // dColumns [C*k*k, block*H'W'] = Wᵀ x dOut, written over the columns no longer needed.
            Gemm.Multiply(true, false, patch, width, Filters, 1f, weight, patch, dOut, width, 0f, columns, width);
            for (int i = 0; i < count; i++) Im2Col.Fold(g, columns[(i * pixels)..], width, gradInput.Row(start + i));
        }
        return gradInput;
    }

    /// <summary>Samples per block, sizing the block buffers for it on first use.</summary>
    private int BlockSize(int batch)
    {
        int perSample = _geometry.PatchSize * _geometry.OutputPixels;
        int block = Math.Clamp(MaxBlockValues / perSample, 1, Math.Max(1, batch));
        int width = block * _geometry.OutputPixels;
        if (_columns.Length < (long)_geometry.PatchSize * width) _columns = new float[checked(_geometry.PatchSize * width)];
        if (_products.Length < (long)Filters * width) _products = new float[checked(Filters * width)];
        return block;
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
