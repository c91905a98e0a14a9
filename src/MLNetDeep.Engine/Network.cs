using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine;

/// <summary>
/// A feed-forward network: a list of layers applied in order (any of which may be a container of layers) and the
/// loss that trains its raw output. Not thread-safe (layers own their buffers); use <see cref="Clone"/> for another
/// thread. The work runs with the <see cref="ComputeContext"/> each call is given (every core by default).
/// </summary>
public sealed class Network
{
    private readonly Sequential _root;
    private readonly Layer[] _all;
    private readonly Parameter[] _parameters;
    private readonly LayerBuffer[] _buffers;
    private Tensor? _input, _prediction;

    /// <summary>
    /// Builds the network for samples of <paramref name="inputShape"/>, drawing every initial
    /// weight from one generator seeded with <paramref name="seed"/>: equal seeds, equal networks.
    /// With <paramref name="fuseLayers"/> (the default) neighbouring layers that run faster as one are fused
    /// (<see cref="LayerFusion"/>: a Conv2D and the ReLU after it, the same bits either way; at inference a
    /// BatchNorm folded into the Dense or Conv2D before it, the same values within rounding).
    /// </summary>
    public Network(TensorShape inputShape, IEnumerable<Layer> layers, Loss loss, ulong seed = 1, bool fuseLayers = true)
        : this(inputShape, layers, loss, new Rng(seed), fuseLayers: fuseLayers) { }

    /// <summary>
    /// Builds the network; <paramref name="maxParameterValues"/> bounds the values its layers may
    /// allocate, checked before each allocation, so that a model file cannot ask for more memory than the
    /// values it stores.
    /// </summary>
    internal Network(TensorShape inputShape, IEnumerable<Layer> layers, Loss loss, Rng rng, long maxParameterValues = long.MaxValue, bool fuseLayers = true)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(loss);
        var list = layers.ToArray();
        if (list.Length == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null) throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            if (list[i].IsInitialized) throw new ArgumentException($"Layer {i} ({list[i]}) already belongs to a network.", nameof(layers));
        }
        InputShape = inputShape;
        Loss = loss;
        _root = new Sequential(list);
        try { OutputShape = _root.Initialize(inputShape, new LayerBuilder(rng, maxParameterValues, fuseLayers)); }
        catch (ArgumentException e) { throw new ArgumentException(e.Message, nameof(layers), e); }
        catch (InvalidOperationException e) { throw new ArgumentException(e.Message, nameof(layers), e); }
        _root.ComputeInputGradient = false;
        _all = [.. Descendants(_root)];
        _parameters = [.. _all.SelectMany(l => l.Parameters)];
        _buffers = [.. _all.SelectMany(l => l.Buffers)];
        Generators = [.. _all.SelectMany(l => l.Generators)];
    }

    private static IEnumerable<Layer> Descendants(Layer layer)
    {
        foreach (var child in layer.Children)
        {
            yield return child;
            foreach (var below in Descendants(child)) yield return below;
        }
    }

    /// <summary>The shape of one input sample.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The shape of one raw output.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>The layers, in order (containers hold more; see <see cref="AllLayers"/>).</summary>
    public IReadOnlyList<Layer> Layers => _root.Children;

    /// <summary>Every layer, containers before the layers they hold, depth first, in the order they run.</summary>
    public IReadOnlyList<Layer> AllLayers => _all;

    /// <summary>The training objective, which also turns raw outputs into predictions.</summary>
    public Loss Loss { get; }

    /// <summary>Every trainable parameter, layer by layer (<see cref="AllLayers"/>'s order).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Every non-trainable buffer (running statistics), layer by layer: saved, never optimized.</summary>
    public IReadOnlyList<LayerBuffer> Buffers => _buffers;

    /// <summary>The layers' own random generators (dropout's), in layer order: a checkpoint saves their state.</summary>
    internal IReadOnlyList<Rng> Generators { get; }

    /// <summary>
    /// Every value that makes the trained network, as arrays: the parameters' values, then the buffers'. What
    /// early stopping keeps of the best epoch and what a checkpoint saves.
    /// </summary>
    internal float[][] StateArrays => [.. _parameters.Select(p => p.Value), .. _buffers.Select(b => b.Value)];

    /// <summary>The block of the top-level layers, which runs them.</summary>
    internal Layer Root => _root;

    /// <summary>The number of trainable values.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Length);

    /// <summary>
    /// Runs the layers with <paramref name="compute"/> (every core when null); with <paramref name="training"/> true,
    /// dropout is active and backward is possible.
    /// </summary>
    public Tensor Forward(Tensor input, bool training, ComputeContext? compute = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.SampleSize != InputShape.Size)
            throw new ArgumentException($"The network takes samples of {InputShape} ({InputShape.Size} values); got {input.SampleShape}.", nameof(input));
        return _root.Forward(input, training, compute ?? ComputeContext.Default);
    }

    /// <summary>Back-propagates dLoss/dOutput of the last training forward pass, filling every parameter's gradient.</summary>
    public void Backward(Tensor gradOutput, ComputeContext? compute = null)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        _root.Backward(gradOutput, compute ?? ComputeContext.Default);
    }

    /// <summary>
    /// Predicts <paramref name="batch"/> samples laid out one after another in <paramref name="inputs"/>,
    /// writing the activated outputs (probabilities for classifiers) to <paramref name="outputs"/>,
    /// or the raw outputs (logits) when <paramref name="activate"/> is false.
    /// </summary>
    public void Predict(ReadOnlySpan<float> inputs, int batch, Span<float> outputs, bool activate = true, ComputeContext? compute = null)
    {
        int inSize = InputShape.Size, outSize = OutputShape.Size;
        if (inputs.Length != batch * inSize) throw new ArgumentException($"{batch} samples need {batch * inSize} input values; got {inputs.Length}.", nameof(inputs));
        if (outputs.Length != batch * outSize) throw new ArgumentException($"{batch} samples need {batch * outSize} output values; got {outputs.Length}.", nameof(outputs));
        var x = Tensor.Ensure(ref _input, batch, InputShape);
        inputs.CopyTo(x.Span);
        var y = Forward(x, training: false, compute);
        y.Span.CopyTo(outputs);
        if (activate) Loss.Activate(outputs, batch, outSize);
    }

    /// <summary>Predicts a batch held in a tensor; the result is reused by the next call.</summary>
    public Tensor Predict(Tensor input, ComputeContext? compute = null)
    {
        var y = Forward(input, training: false, compute);
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
    public override string ToString() => $"{InputShape} -> {string.Join(" -> ", Layers.Select(l => l.ToString()))} | {Loss}";
}
