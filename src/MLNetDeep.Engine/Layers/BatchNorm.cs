using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Batch normalisation (Ioffe and Szegedy 2015): per feature of a vector [F] (after a <see cref="Dense"/>), per
/// channel of an image [C, H, W] (after a <see cref="Conv2D"/>, over the batch and every pixel). In training it
/// normalises with the batch's mean and biased variance, y = γ (x - mean) / √(var + ε) + β, and updates the running
/// statistics; at inference it uses those. γ ("gamma", starting at 1) and β ("beta", at 0) are trained.
/// </summary>
/// <remarks>
/// The running statistics follow PyTorch's convention: running = (1 - momentum) running + momentum batch, with
/// the batch variance unbiased (times M / (M - 1) for M values a channel); Keras's momentum 0.99 is this 0.01.
/// They start at mean 0 and variance 1 and are buffers ("running_mean", "running_var"): saved, never trained.
/// With one value a channel (one sample after a dense layer) the batch variance is 0, the output is β and the
/// running variance is left unchanged. At prediction, right after a Dense or Conv2D of the same block, the
/// network folds this layer into that one (<see cref="LayerFusion"/>); training is never folded.
/// </remarks>
public sealed partial class BatchNorm : Layer, ILayerFormat<BatchNorm>
{
    private Parameter? _gamma, _beta;
    private LayerBuffer? _runningMean, _runningVariance;
    private Tensor? _output, _gradInput, _xhat, _input;
    private float[] _mean = [], _variance = [], _invStd = [], _scale = [], _shift = [];
    private int _channels, _pixels;
    private bool _trained, _passedThrough, _rectifiedLast;

    /// <summary>Creates the layer; <paramref name="momentum"/> in [0, 1] (PyTorch's convention), <paramref name="epsilon"/> positive.</summary>
    public BatchNorm(float momentum = 0.1f, float epsilon = 1e-5f)
    {
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1]: the weight of each batch in the running statistics.");
        if (!(epsilon > 0) || !float.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive and finite.");
        Momentum = momentum;
        Epsilon = epsilon;
    }

    static string ILayerFormat<BatchNorm>.FormatTag => nameof(BatchNorm);

    static int ILayerFormat<BatchNorm>.FormatVersion => 1;

    /// <summary>The weight of each training batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon { get; }

    /// <summary>The scale γ of each feature or channel, [1, C].</summary>
    public Parameter Gamma => _gamma ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The shift β of each feature or channel, [1, C].</summary>
    public Parameter Beta => _beta ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The running mean of each feature or channel.</summary>
    public LayerBuffer RunningMean => _runningMean ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The running (unbiased) variance of each feature or channel.</summary>
    public LayerBuffer RunningVariance => _runningVariance ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The Dense or Conv2D that applies this layer's inference form itself, when the network folded the two.</summary>
    internal Layer? FoldedInto { get; set; }

    /// <summary>
    /// True when this layer normalises images and applies the <see cref="Activations.Relu"/> after it itself in training
    /// (set by <see cref="LayerFusion"/>): max(0, y) on each plane as it is written, and the ReLU's derivative in the
    /// passes that read the gradient; the ReLU then passes this layer's outputs and gradients through. The bits are those
    /// of the two layers apart. At inference the ReLU runs on its own.
    /// </summary>
    internal bool Rectifies { get; set; }

    /// <summary>True when this layer normalises planes of more than one value a channel (images of more than one pixel; built).</summary>
    internal bool NormalizesImages => _pixels > 1;

    /// <summary>True when <paramref name="tensor"/> is this layer's last output and this layer rectified it.</summary>
    internal bool ProducedLast(Tensor tensor) => _rectifiedLast && ReferenceEquals(tensor, _output);

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        (_channels, _pixels) = inputShape.Rank switch
        {
            1 => (inputShape[0], 1),
            3 => (inputShape[0], inputShape[1] * inputShape[2]),
            _ => throw new ArgumentException($"{this} needs a vector [F] or an image [C, H, W]; got {inputShape}.", nameof(inputShape)),
        };
        _gamma = builder.Parameter("gamma", 1, _channels, isWeight: false);
        _beta = builder.Parameter("beta", 1, _channels, isWeight: false);
        _runningMean = builder.Buffer("running_mean", _channels);
        _runningVariance = builder.Buffer("running_var", _channels);
        _gamma.Value.AsSpan().Fill(1f);
        _runningVariance.Value.AsSpan().Fill(1f);
        _mean = new float[_channels];
        _variance = new float[_channels];
        _invStd = new float[_channels];
        _scale = new float[_channels];
        _shift = new float[_channels];
        return inputShape;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        _trained = training;
        _passedThrough = !training && FoldedInto switch
        {
            Dense dense => dense.ProducedNormalized(input),
            Conv2D conv => conv.ProducedNormalized(input),
            _ => false,
        };
        _rectifiedLast = false;
        if (_passedThrough) return input;
        int n = input.Batch;
        var output = Tensor.Ensure(ref _output, n, OutputShape);
        if (!training)
        {
            _input = null;
            InferenceAffine(_scale, _shift);
            NormalizationKernels.ApplyAffine(input.Span, n, _channels, _pixels, _scale, _shift, output.Span);
            return output;
        }
        if (NormalizesImages)
        {
            // Images keep their input rather than x̂: backward computes x̂ again from it, one tensor written and read fewer.
            _rectifiedLast = Rectifies;
            _input = input;
            NormalizationKernels.BatchForwardImages(compute, input.Span, n, _channels, _pixels, Epsilon, Gamma.Value, Beta.Value, _mean, _variance, _invStd,
                _rectifiedLast, output.Span);
        }
        else
        {
            var xhat = Tensor.Ensure(ref _xhat, n, OutputShape);
            NormalizationKernels.BatchForward(input.Span, n, _channels, Epsilon, Gamma.Value, Beta.Value, _mean, _variance, _invStd, xhat.Span, output.Span);
        }
        NormalizationKernels.UpdateRunning(RunningMean.Value, RunningVariance.Value, _mean, _variance, Momentum, (long)n * _pixels);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        if (!_trained || (NormalizesImages ? _input is null : _xhat is null))
            throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        int n = gradOutput.Batch;
        var gradInput = Tensor.Ensure(ref _gradInput, n, InputShape);
        var dx = ComputeInputGradient ? gradInput.Span : [];
        if (NormalizesImages)
        {
            NormalizationKernels.BatchBackwardImages(compute, gradOutput.Span, _input!.Span, _rectifiedLast ? _output!.Span : default, n, _channels, _pixels,
                Gamma.Value, _mean, _invStd, Gamma.Gradient, Beta.Gradient, dx);
        }
        else
        {
            NormalizationKernels.BatchBackward(gradOutput.Span, _xhat!.Span, n, _channels, Gamma.Value, _invStd, Gamma.Gradient, Beta.Gradient, dx);
        }
        return gradInput;
    }

    /// <summary>Passes the folding layer's outputs through in a one-row predictor: its step applies this layer.</summary>
    internal override RowStep CreateRowStep(ComputeContext compute) => FoldedInto is null ? base.CreateRowStep(compute) : new PassThroughRowStep();

    /// <summary>The inference form y = scale x + shift of each channel, from γ, β and the running statistics.</summary>
    internal void InferenceAffine(Span<float> scale, Span<float> shift) =>
        NormalizationKernels.InferenceAffine(Gamma.Value, Beta.Value, RunningMean.Value, RunningVariance.Value, Epsilon, scale, shift);

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer)
    {
        writer.Write(Momentum);
        writer.Write(Epsilon);
    }

    static BatchNorm ILayerFormat<BatchNorm>.ReadConfig(LayerReader reader, int version) => new(reader.ReadSingle(), reader.ReadSingle());

    /// <inheritdoc/>
    public override string ToString() => $"BatchNorm(momentum {Momentum}, epsilon {Epsilon})";

    private sealed class PassThroughRowStep : RowStep
    {
        public override Tensor Run(Tensor input) => input;
    }
}
