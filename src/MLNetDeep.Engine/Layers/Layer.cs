using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// One step of a network. Forward(input, training) computes the output for a batch and, in training, keeps what
/// Backward needs; Backward(dLoss/dOutput) fills the gradients of the layer's parameters and returns dLoss/dInput.
/// Buffers are sized once per batch shape and reused.
/// </summary>
/// <remarks>
/// A layer describes itself, so that adding a layer type is adding a file:
/// <list type="bullet">
/// <item>its state: trainable <see cref="Parameters"/>, non-trainable <see cref="Buffers"/> and its own random
/// generators, all made through the <see cref="LayerBuilder"/> in <see cref="Build"/>;</item>
/// <item>its file form: a tag and a version (<see cref="ILayerFormat{TSelf}"/>, found by <see cref="LayerRegistry"/>)
/// and <see cref="WriteConfig"/>, its hyper-parameters;</item>
/// <item>its form for one-row prediction (<see cref="CreateRowStep"/>; by default its Forward);</item>
/// <item>its ONNX form (Layer.Onnx.cs).</item>
/// </list>
/// A container (<see cref="Sequential"/>, <see cref="Residual"/>) holds its <see cref="Children"/> and runs them.
/// A layer belongs to one network, where it runs once a pass, so each backward pass sets (never adds to) its
/// parameters' gradients.
/// </remarks>
public abstract partial class Layer
{
    private TensorShape? _inputShape, _outputShape;
    private Parameter[] _parameters = [];
    private LayerBuffer[] _buffers = [];
    private Rng[] _generators = [];
    private bool _computeInputGradient = true;

    /// <summary>The shape of one input sample; set by <see cref="Initialize(TensorShape, Rng)"/>.</summary>
    public TensorShape InputShape => _inputShape ?? throw new InvalidOperationException($"{GetType().Name} has not been initialized.");

    /// <summary>The shape of one output sample; set by <see cref="Initialize(TensorShape, Rng)"/>.</summary>
    public TensorShape OutputShape => _outputShape ?? throw new InvalidOperationException($"{GetType().Name} has not been initialized.");

    /// <summary>True once the layer has been built.</summary>
    public bool IsInitialized => _outputShape is not null;

    /// <summary>The layer's own trainable parameters (not its children's), in the order it made them.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The layer's own non-trainable state (not its children's), saved in model files and checkpoints.</summary>
    public IReadOnlyList<LayerBuffer> Buffers => _buffers;

    /// <summary>The layer's own random generators, saved in checkpoints so that a resumed run replays them.</summary>
    internal IReadOnlyList<Rng> Generators => _generators;

    /// <summary>The layers this one contains and runs, in order; empty for all but containers.</summary>
    public virtual IReadOnlyList<Layer> Children => [];

    /// <summary>
    /// Fixes the input shape, creates the parameters and draws their initial values from
    /// <paramref name="rng"/>. Returns the output shape.
    /// </summary>
    /// <exception cref="InvalidOperationException">The layer has been built already: it belongs to a network.</exception>
    public TensorShape Initialize(TensorShape inputShape, Rng rng) => Initialize(inputShape, new LayerBuilder(rng));

    internal TensorShape Initialize(TensorShape inputShape, LayerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (IsInitialized) throw new InvalidOperationException($"{this} already belongs to a network: a layer runs in one place only.");
        _inputShape = inputShape;
        builder.Begin();
        TensorShape output;
        try
        {
            output = Build(inputShape, builder);
        }
        finally
        {
            (_parameters, _buffers, _generators) = builder.End();
        }
        _outputShape = output;
        return output;
    }

    /// <summary>Creates the layer's state for <paramref name="inputShape"/> through <paramref name="builder"/> and returns the output shape.</summary>
    protected abstract TensorShape Build(TensorShape inputShape, LayerBuilder builder);

    /// <summary>Computes the output for a batch with every core; with <paramref name="training"/> true, keeps what backward needs.</summary>
    public Tensor Forward(Tensor input, bool training) => Forward(input, training, ComputeContext.Default);

    /// <summary>Computes the output for a batch with <paramref name="compute"/>; with <paramref name="training"/> true, keeps what backward needs.</summary>
    public abstract Tensor Forward(Tensor input, bool training, ComputeContext compute);

    /// <summary>Given dLoss/dOutput for the last training forward pass, fills parameter gradients and returns dLoss/dInput (every core).</summary>
    public Tensor Backward(Tensor gradOutput) => Backward(gradOutput, ComputeContext.Default);

    /// <summary>Given dLoss/dOutput for the last training forward pass, fills parameter gradients and returns dLoss/dInput.</summary>
    public abstract Tensor Backward(Tensor gradOutput, ComputeContext compute);

    /// <summary>
    /// False for the first layer of a network: nothing needs dLoss/dInput there, and skipping it
    /// saves the largest matrix product of the backward pass. A container passes it on to its first children.
    /// </summary>
    public bool ComputeInputGradient
    {
        get => _computeInputGradient;
        set
        {
            _computeInputGradient = value;
            OnComputeInputGradientChanged(value);
        }
    }

    /// <summary>Lets a container pass <see cref="ComputeInputGradient"/> on to the children that read its input.</summary>
    protected virtual void OnComputeInputGradientChanged(bool value) { }

    /// <summary>
    /// Writes the layer's hyper-parameters (not its weights, which the model file stores after them) for its
    /// file form; the matching reader is its <see cref="ILayerFormat{TSelf}.ReadConfig"/>. A container writes its
    /// children here, each with <see cref="LayerWriter.WriteLayer"/>.
    /// </summary>
    protected internal virtual void WriteConfig(LayerWriter writer) { }

    /// <summary>
    /// How the layer runs in a one-row predictor (<see cref="RowPredictor"/>): by default its Forward; a layer that
    /// can do better with its weights laid out for one sample (<see cref="Dense"/>) returns its own step.
    /// </summary>
    internal virtual RowStep CreateRowStep(ComputeContext compute) => new ForwardRowStep(this, compute);

    /// <summary>A short description such as "Dense(256)".</summary>
    public abstract override string ToString();

    /// <summary>Throws when <paramref name="input"/> does not match <see cref="InputShape"/>.</summary>
    protected void CheckInput(Tensor input)
    {
        if (!input.SampleShape.Equals(InputShape) && input.SampleSize != InputShape.Size)
            throw new ArgumentException($"{this} expects samples of shape {InputShape}; got {input.SampleShape}.", nameof(input));
    }
}
