using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// One step of a network. A layer owns its parameters, their gradients and its buffers.
/// <see cref="Forward"/> caches what <see cref="Backward"/> needs; <see cref="Backward"/> fills the
/// parameter gradients and returns the gradient with respect to the layer's input.
/// Buffers are sized once per batch shape and reused.
/// </summary>
public abstract partial class Layer
{
    private TensorShape? _inputShape, _outputShape;

    /// <summary>The shape of one input sample; set by <see cref="Initialize"/>.</summary>
    public TensorShape InputShape => _inputShape ?? throw new InvalidOperationException($"{GetType().Name} has not been initialized.");

    /// <summary>The shape of one output sample; set by <see cref="Initialize"/>.</summary>
    public TensorShape OutputShape => _outputShape ?? throw new InvalidOperationException($"{GetType().Name} has not been initialized.");

    /// <summary>True once <see cref="Initialize"/> has run.</summary>
    public bool IsInitialized => _outputShape is not null;

    /// <summary>
    /// Fixes the input shape, creates the parameters and draws their initial values from
    /// <paramref name="rng"/>. Returns the output shape.
    /// </summary>
    public TensorShape Initialize(TensorShape inputShape, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(rng);
        _inputShape = inputShape;
        _outputShape = Build(inputShape, rng);
        return _outputShape;
    }

    /// <summary>Creates parameters for <paramref name="inputShape"/> and returns the output shape.</summary>
    protected abstract TensorShape Build(TensorShape inputShape, Rng rng);

    /// <summary>Computes the output for a batch; with <paramref name="training"/> true, caches what backward needs.</summary>
    public abstract Tensor Forward(Tensor input, bool training);

    /// <summary>Given dLoss/dOutput for the last training forward pass, fills parameter gradients and returns dLoss/dInput.</summary>
    public abstract Tensor Backward(Tensor gradOutput);

    /// <summary>The trainable parameters, in a fixed order.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>
    /// How many parameter values <see cref="Initialize"/> would allocate for <paramref name="inputShape"/>
    /// (saturating at <see cref="long.MaxValue"/>), computed without allocating anything.
    /// </summary>
    internal virtual long ParameterValueCount(TensorShape inputShape) => 0;

    /// <summary>
    /// Writes the layer's hyper-parameters (not its weights) for the model file; the matching
    /// reader is in <c>Serialization/LayerCodec</c>.
    /// </summary>
    internal virtual void WriteConfig(BinaryWriter writer) { }

    /// <summary>
    /// False for the first layer of a network: nothing needs dLoss/dInput there, and skipping it
    /// saves the largest matrix product of the backward pass.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>A short description such as "Dense(256)".</summary>
    public abstract override string ToString();

    /// <summary>Throws when <paramref name="input"/> does not match <see cref="InputShape"/>.</summary>
    protected void CheckInput(Tensor input)
    {
        if (!input.SampleShape.Equals(InputShape) && input.SampleSize != InputShape.Size)
            throw new ArgumentException($"{this} expects samples of shape {InputShape}; got {input.SampleShape}.", nameof(input));
    }
}
