using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Inverted dropout (Srivastava et al. 2014): in training each input is kept with probability
/// 1 - rate and scaled by 1 / (1 - rate), so prediction needs no rescaling and passes inputs through.
/// </summary>
public sealed partial class Dropout : Layer, ILayerFormat<Dropout>
{
    private Rng? _rng;
    private Tensor? _output, _gradInput;
    private float[] _mask = [];
    private bool _maskActive, _gradientPassed;
    private readonly uint _threshold;

    /// <summary>Creates the layer; <paramref name="rate"/> is the probability of dropping a unit, in [0, 1).</summary>
    public Dropout(float rate)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        Rate = rate;
        _threshold = DropoutKernels.Threshold(rate);
    }

    static string ILayerFormat<Dropout>.FormatTag => nameof(Dropout);

    static int ILayerFormat<Dropout>.FormatVersion => 1;

    /// <summary>The probability of dropping each input during training.</summary>
    public float Rate { get; }

    /// <summary>
    /// The dense layer with a fused ReLU that feeds this dropout, when the network fused them (<see cref="LayerFusion"/>):
    /// that layer then multiplies the gradient by this pass's mask itself, in its pass that applies the ReLU's
    /// derivative, and this layer passes the gradient through. Forward is this layer's own either way.
    /// </summary>
    internal Dense? FusedInto { get; set; }

    /// <summary>The mask of the last pass when this layer passed its gradient through to <see cref="FusedInto"/>, else empty.</summary>
    internal ReadOnlySpan<float> PassedMask(int length) => _gradientPassed ? _mask.AsSpan(0, length) : default;

    /// <summary>The generator that draws masks; forked from the network's at initialisation, part of checkpoints.</summary>
    internal Rng Random => _rng ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        _rng = builder.Generator();
        return inputShape;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        _maskActive = training && Rate > 0;
        _gradientPassed = _maskActive && FusedInto is { } dense && dense.ProducedLast(input);
        if (!_maskActive) return input;
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        int n = input.Length;
        if (_mask.Length < n) _mask = new float[n];
        // One key a pass from the layer's generator; the mask is a hash of the key and the
        // element's index (see DropoutKernels), computed in wide vectors. A checkpoint of the
        // generator still replays the pass exactly.
        var rng = Random;
        ulong key = ((ulong)rng.NextUInt() << 32) | rng.NextUInt();
        DropoutKernels.Apply(compute, key, _threshold, 1f / (1f - Rate), input.Span, _mask.AsSpan(0, n), output.Span);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        if (!_maskActive || _gradientPassed) return gradOutput;
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        DropoutKernels.Backward(compute, gradOutput.Span, _mask.AsSpan(0, gradOutput.Length), gradInput.Span);
        return gradInput;
    }

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer) => writer.Write(Rate);

    static Dropout ILayerFormat<Dropout>.ReadConfig(LayerReader reader, int version) => new(reader.ReadSingle());

    /// <inheritdoc/>
    public override string ToString() => $"Dropout({Rate})";
}
