using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Layer normalisation (Ba, Kiros and Hinton 2016): each sample is normalised over all its values, the F features
/// of a vector or all C*H*W values of an image (PyTorch's LayerNorm over the whole sample shape), with the biased
/// variance, y = γ ⊙ (x - mean) / √(var + ε) + β. γ ("gamma", 1) and β ("beta", 0) have one value per input value,
/// and are trained. No batch statistics: training and inference compute the same, whatever the batch size.
/// </summary>
public sealed partial class LayerNorm : Layer, ILayerFormat<LayerNorm>
{
    private Parameter? _gamma, _beta;
    private Tensor? _output, _gradInput, _xhat;
    private float[] _invStd = [];
    private bool _trained;

    /// <summary>Creates the layer; <paramref name="epsilon"/>, added to the variance, must be positive.</summary>
    public LayerNorm(float epsilon = 1e-5f)
    {
        if (!(epsilon > 0) || !float.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive and finite.");
        Epsilon = epsilon;
    }

    static string ILayerFormat<LayerNorm>.FormatTag => nameof(LayerNorm);

    static int ILayerFormat<LayerNorm>.FormatVersion => 1;

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon { get; }

    /// <summary>The scale γ of each input value, [1, size].</summary>
    public Parameter Gamma => _gamma ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The shift β of each input value, [1, size].</summary>
    public Parameter Beta => _beta ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        _gamma = builder.Parameter("gamma", 1, inputShape.Size, isWeight: false);
        _beta = builder.Parameter("beta", 1, inputShape.Size, isWeight: false);
        _gamma.Value.AsSpan().Fill(1f);
        return inputShape;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        int n = input.Batch;
        var output = Tensor.Ensure(ref _output, n, OutputShape);
        var xhat = Tensor.Ensure(ref _xhat, n, OutputShape);
        if (_invStd.Length < n) _invStd = new float[n];
        NormalizationKernels.LayerForward(input.Span, n, InputShape.Size, Epsilon, Gamma.Value, Beta.Value, _invStd, xhat.Span, output.Span);
        _trained = training;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        if (!_trained || _xhat is null) throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        int n = gradOutput.Batch;
        var gradInput = Tensor.Ensure(ref _gradInput, n, InputShape);
        NormalizationKernels.LayerBackward(gradOutput.Span, _xhat.Span, n, InputShape.Size, Gamma.Value, _invStd, Gamma.Gradient, Beta.Gradient,
            ComputeInputGradient ? gradInput.Span : []);
        return gradInput;
    }

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer) => writer.Write(Epsilon);

    static LayerNorm ILayerFormat<LayerNorm>.ReadConfig(LayerReader reader, int version) => new(reader.ReadSingle());

    /// <inheritdoc/>
    public override string ToString() => $"LayerNorm(epsilon {Epsilon})";
}
