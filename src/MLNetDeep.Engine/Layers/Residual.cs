using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// A residual block (He et al. 2016): y = inner(x) + x, so that the inner block learns a correction to the
/// identity and gradients reach the layers below through the skip unchanged, however deep the stack. When the
/// inner block changes the shape, a projection maps x to it: y = inner(x) + projection(x), a <see cref="Dense"/>
/// for vectors or a 1x1 <see cref="Conv2D"/> (with the stride that matches) for images, made automatically unless given.
/// </summary>
public sealed partial class Residual : Layer, ILayerFormat<Residual>
{
    private readonly Layer _inner;
    private Layer? _projection;
    private Tensor? _output, _gradInput;

    /// <summary>
    /// Creates the block around the layers <paramref name="inner"/>, run in order (a <see cref="Sequential"/> when
    /// there are several); the skip is the identity, or the default projection when they change the shape.
    /// </summary>
    public Residual(params Layer[] inner) : this(inner, projection: null) { }

    /// <summary>Creates the block around the layers <paramref name="inner"/> with <paramref name="projection"/> on the skip (null: as the other constructor).</summary>
    public Residual(Layer[] inner, Layer? projection)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner.Length == 0) throw new ArgumentException("A residual block needs at least one layer.", nameof(inner));
        _inner = inner.Length == 1 ? inner[0] ?? throw new ArgumentException("Layer 0 is null.", nameof(inner)) : new Sequential(inner);
        _projection = projection;
    }

    static string ILayerFormat<Residual>.FormatTag => nameof(Residual);

    static int ILayerFormat<Residual>.FormatVersion => 1;

    /// <summary>The block whose output is added to the skip.</summary>
    public Layer Inner => _inner;

    /// <summary>What maps the input to the inner block's shape on the skip; null when the skip is the identity.</summary>
    public Layer? Projection => _projection;

    /// <inheritdoc/>
    public override IReadOnlyList<Layer> Children => _projection is null ? [_inner] : [_inner, _projection];

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        var output = builder.Initialize(_inner, inputShape);
        if (_projection is null && output.Size != inputShape.Size) _projection = DefaultProjection(inputShape, output);
        if (_projection is not null)
        {
            var projected = builder.Initialize(_projection, inputShape);
            if (projected.Size != output.Size)
                throw new ArgumentException($"The projection {_projection} gives {projected}; the inner block gives {output}: they cannot be added.");
        }
        OnComputeInputGradientChanged(ComputeInputGradient);
        return output;
    }

    /// <summary>A 1x1 convolution with the stride that gives the inner block's image size, or else a dense layer.</summary>
    private static Layer DefaultProjection(TensorShape input, TensorShape output)
    {
        if (input.Rank == 3 && output.Rank == 3)
        {
            for (int stride = 1; stride <= input[1]; stride++)
                if ((input[1] - 1) / stride + 1 == output[1] && (input[2] - 1) / stride + 1 == output[2])
                    return new Conv2D(output[0], 1, stride);
        }
        return new Dense(output.Size);
    }

    /// <inheritdoc/>
    protected override void OnComputeInputGradientChanged(bool value)
    {
        if (_inner.IsInitialized) _inner.ComputeInputGradient = value;
        if (_projection is { IsInitialized: true }) _projection.ComputeInputGradient = value;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        var inner = _inner.Forward(input, training, compute);
        var skip = _projection?.Forward(input, training, compute) ?? input;
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        TensorPrimitives.Add(inner.Span, skip.Span, output.Span);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        // dL/dx = d inner / dx . g + d skip / dx . g: the inner block's input gradient plus the skip's.
        var inner = _inner.Backward(gradOutput, compute);
        var skip = _projection?.Backward(gradOutput, compute) ?? gradOutput;
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        if (ComputeInputGradient) TensorPrimitives.Add(inner.Span, skip.Span, gradInput.Span);
        return gradInput;
    }

    internal override RowStep CreateRowStep(ComputeContext compute) =>
        new ResidualRowStep(_inner.CreateRowStep(compute), _projection?.CreateRowStep(compute), new Tensor(1, OutputShape));

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer)
    {
        writer.WriteLayer(_inner);
        writer.Write(_projection is not null);
        if (_projection is not null) writer.WriteLayer(_projection);
    }

    static Residual ILayerFormat<Residual>.ReadConfig(LayerReader reader, int version)
    {
        var inner = reader.ReadLayer();
        return new Residual([inner], reader.ReadBoolean() ? reader.ReadLayer() : null);
    }

    /// <inheritdoc/>
    public override string ToString() => _projection is null ? $"Residual({_inner})" : $"Residual({_inner}, projection {_projection})";

    private sealed class ResidualRowStep(RowStep inner, RowStep? projection, Tensor output) : RowStep
    {
        public override Tensor Run(Tensor input)
        {
            // The skip first: the inner block's steps may write over a tensor the input shares.
            var skip = projection?.Run(input) ?? input;
            var y = inner.Run(input);
            TensorPrimitives.Add(y.Span, skip.Span, output.Span);
            return output;
        }
    }
}
