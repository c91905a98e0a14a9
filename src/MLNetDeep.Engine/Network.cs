using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine;

/// <summary>
/// A feed-forward network: a list of layers applied in order and the loss that trains its raw
/// output. Not thread-safe (layers own their buffers); use <see cref="Clone"/> for another thread.
/// </summary>
public sealed class Network
{
    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;
    private Tensor? _input, _prediction;

    /// <summary>
    /// Builds the network for samples of <paramref name="inputShape"/>, drawing every initial
    /// weight from one generator seeded with <paramref name="seed"/>: equal seeds, equal networks.
    /// </summary>
    public Network(TensorShape inputShape, IEnumerable<Layer> layers, Loss loss, ulong seed = 1)
        : this(inputShape, layers, loss, new Rng(seed)) { }

    /// <summary>
    /// Builds the network; <paramref name="maxParameterValues"/> bounds the values its layers may
    /// allocate, checked before each layer allocates, so that a model file cannot ask for more memory
    /// than the weights it stores.
    /// </summary>
    internal Network(TensorShape inputShape, IEnumerable<Layer> layers, Loss loss, Rng rng, long maxParameterValues = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(loss);
        _layers = layers.ToArray();
        if (_layers.Length == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        InputShape = inputShape;
        Loss = loss;
        var shape = inputShape;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is null) throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            if (_layers[i].IsInitialized) throw new ArgumentException($"Layer {i} ({_layers[i]}) already belongs to a network.", nameof(layers));
            long values = _layers[i].ParameterValueCount(shape);
            if (values > maxParameterValues)
                throw new ArgumentException($"Layer {i} ({_layers[i]}) would hold {values} parameter values on input {shape}; at most {maxParameterValues} are available.", nameof(layers));
            maxParameterValues -= values;
            try { shape = _layers[i].Initialize(shape, rng); }
            catch (ArgumentException e) { throw new ArgumentException($"Layer {i} ({_layers[i]}) cannot take input of shape {shape}: {e.Message}", nameof(layers), e); }
        }
        _layers[0].ComputeInputGradient = false;
        for (int i = 0; i + 1 < _layers.Length; i++)
        {
            // A ReLU after a convolution is applied by the convolution, image by image in cache.
            if (_layers[i] is Conv2D conv && _layers[i + 1] is Activations.Relu relu)
            {
                conv.Rectifies = true;
                relu.FusedInto = conv;
            }
        }
        OutputShape = shape;
        _parameters = _layers.SelectMany(l => l.Parameters).ToArray();
    }

    /// <summary>The shape of one input sample.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The shape of one raw output.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The training objective, which also turns raw outputs into predictions.</summary>
    public Loss Loss { get; }

    /// <summary>Every trainable parameter, layer by layer.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The number of trainable values.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Length);

    /// <summary>Runs the layers; with <paramref name="training"/> true, dropout is active and backward is possible.</summary>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.SampleSize != InputShape.Size)
            throw new ArgumentException($"The network takes samples of {InputShape} ({InputShape.Size} values); got {input.SampleShape}.", nameof(input));
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x, training);
        return x;
    }

    /// <summary>Back-propagates dLoss/dOutput of the last training forward pass, filling every parameter's gradient.</summary>
    public void Backward(Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        var g = gradOutput;
        for (int i = _layers.Length - 1; i >= 0; i--) g = _layers[i].Backward(g);
    }

    /// <summary>
    /// Predicts <paramref name="batch"/> samples laid out one after another in <paramref name="inputs"/>,
    /// writing the activated outputs (probabilities for classifiers) to <paramref name="outputs"/>,
    /// or the raw outputs (logits) when <paramref name="activate"/> is false.
    /// </summary>
    public void Predict(ReadOnlySpan<float> inputs, int batch, Span<float> outputs, bool activate = true)
    {
        int inSize = InputShape.Size, outSize = OutputShape.Size;
        if (inputs.Length != batch * inSize) throw new ArgumentException($"{batch} samples need {batch * inSize} input values; got {inputs.Length}.", nameof(inputs));
        if (outputs.Length != batch * outSize) throw new ArgumentException($"{batch} samples need {batch * outSize} output values; got {outputs.Length}.", nameof(outputs));
        var x = Tensor.Ensure(ref _input, batch, InputShape);
        inputs.CopyTo(x.Span);
        var y = Forward(x, training: false);
        y.Span.CopyTo(outputs);
        if (activate) Loss.Activate(outputs, batch, outSize);
    }

    /// <summary>Predicts a batch held in a tensor; the result is reused by the next call.</summary>
    public Tensor Predict(Tensor input)
    {
        var y = Forward(input, training: false);
        var p = Tensor.Ensure(ref _prediction, y.Batch, OutputShape);
        y.Span.CopyTo(p.Span);
        Loss.Activate(p.Span, p.Batch, OutputShape.Size);
        return p;
    }

    /// <summary>An independent copy with the same architecture and bit-identical weights.</summary>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite: a diverged network is not copied.</exception>
    public Network Clone()
    {
        using var stream = new MemoryStream();
        NetworkSerializer.Write(this, stream);
        stream.Position = 0;
        return NetworkSerializer.Read(stream);
    }

    /// <summary>Writes the network (architecture and weights) in the versioned binary format.</summary>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite (training diverged); nothing is written.</exception>
    public void Save(Stream stream) => NetworkSerializer.Write(this, stream);

    /// <summary>Saves to a file atomically: a failed save leaves no partial file, and any earlier file as it was.</summary>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite; the file is not touched.</exception>
    /// <exception cref="IOException">The folder does not exist or cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file may not be written.</exception>
    public void Save(string path) => NetworkSerializer.WriteFile(this, path);

    /// <summary>Reads a network written by <see cref="Save(Stream)"/>, leaving the stream just after it.</summary>
    /// <exception cref="InvalidDataException">The stream is foreign, truncated or damaged, or holds a non-finite weight; no allocation exceeds what it stores.</exception>
    public static Network Load(Stream stream) => NetworkSerializer.Read(stream);

    /// <summary>Reads a network from a file that holds nothing else.</summary>
    /// <exception cref="InvalidDataException">The file is foreign, truncated, damaged or oversized; the message names it.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Network Load(string path) => NetworkSerializer.ReadFile(path);

    /// <inheritdoc/>
    public override string ToString() => $"{InputShape} -> {string.Join(" -> ", _layers.Select(l => l.ToString()))} | {Loss}";
}
