using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Pretraining;

/// <summary>
/// A deep belief network as a stack of RBMs trained greedily, one layer at a time, each on the
/// hidden probabilities of the one below (Hinton, Osindero and Teh 2006, "A fast learning algorithm
/// for deep belief nets"; Bengio et al. 2007, "Greedy layer-wise training of deep networks"). Its
/// weights then initialise the dense layers of a sigmoid network for supervised fine tuning
/// (<see cref="InitializeDense"/>), or it serves as a featurizer (<see cref="Transform"/>).
/// Not thread-safe: it owns the buffers of its batches.
/// </summary>
public sealed class DeepBeliefNetwork
{
    private readonly Rbm[] _layers;
    private float[] _even = [], _odd = [];

    /// <summary>
    /// Stacks <paramref name="layers"/>, visible layer first: each RBM's visible units must match the
    /// hidden units of the one below, and only the first may have Gaussian visible units (the ones
    /// above read probabilities in [0, 1]).
    /// </summary>
    public DeepBeliefNetwork(IEnumerable<Rbm> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0) throw new ArgumentException("A deep belief network needs at least one RBM.", nameof(layers));
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is null) throw new ArgumentException($"RBM {i} is null.", nameof(layers));
            if (i == 0) continue;
            if (_layers[i].VisibleCount != _layers[i - 1].HiddenCount)
                throw new ArgumentException($"RBM {i} ({_layers[i]}) has {_layers[i].VisibleCount} visible units; RBM {i - 1} below it ({_layers[i - 1]}) has {_layers[i - 1].HiddenCount} hidden units.", nameof(layers));
            if (_layers[i] is GaussianBernoulliRbm)
                throw new ArgumentException($"RBM {i} has Gaussian visible units; only the first RBM may, since the ones above read hidden probabilities in [0, 1].", nameof(layers));
            if (Array.IndexOf(_layers, _layers[i], 0, i) >= 0) throw new ArgumentException($"RBM {i} appears twice in the stack.", nameof(layers));
        }
    }

    /// <summary>The RBMs, visible layer first.</summary>
    public IReadOnlyList<Rbm> Layers => _layers;

    /// <summary>The number of inputs: the first RBM's visible units.</summary>
    public int VisibleCount => _layers[0].VisibleCount;

    /// <summary>The number of features <see cref="Transform"/> writes per sample: the top RBM's hidden units.</summary>
    public int FeatureCount => _layers[^1].HiddenCount;

    /// <summary>
    /// Pre-trains a stack on <paramref name="data"/> (<paramref name="visibleCount"/> values per sample) with
    /// <paramref name="hiddenSizes"/> hidden units per RBM, bottom first.
    /// </summary>
    public static DeepBeliefNetwork Pretrain(float[] data, int visibleCount, IReadOnlyList<int> hiddenSizes, PretrainingOptions options,
        IProgress<RbmEpochReport>? progress = null, CancellationToken cancellationToken = default, ComputeContext? compute = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(visibleCount);
        if (data.Length % visibleCount != 0)
            throw new ArgumentException($"{data.Length} values are not a whole number of samples of {visibleCount} visible units.", nameof(data));
        var dataset = new InMemoryDataset(data, new float[data.Length / visibleCount], TensorShape.Vector(visibleCount));
        return Pretrain(dataset, hiddenSizes, options, progress, cancellationToken, compute);
    }

    /// <summary>
    /// Pre-trains a stack greedily on the features of <paramref name="data"/>: RBM 0 (Gaussian or Bernoulli
    /// visible units as <see cref="PretrainingOptions.GaussianVisible"/> says) on the samples, then each RBM
    /// above on the hidden probabilities p(h | v) of the one below, each with the same options and a seed of
    /// its own drawn from <see cref="RbmTrainingOptions.Seed"/>. Progress reports carry the layer index.
    /// </summary>
    public static DeepBeliefNetwork Pretrain(Dataset data, IReadOnlyList<int> hiddenSizes, PretrainingOptions options,
        IProgress<RbmEpochReport>? progress = null, CancellationToken cancellationToken = default, ComputeContext? compute = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (hiddenSizes.Count == 0) throw new ArgumentException("Give at least one hidden layer size.", nameof(hiddenSizes));
        for (int i = 0; i < hiddenSizes.Count; i++)
            if (hiddenSizes[i] < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSizes), hiddenSizes[i], $"Hidden layer {i} must have at least one unit.");

        var rng = new Rng(options.Seed);
        var layers = new Rbm[hiddenSizes.Count];
        Dataset input = data;
        int visible = data.SampleShape.Size;
        for (int i = 0; i < layers.Length; i++)
        {
            var layerRng = rng.Fork();
            layers[i] = i == 0 && options.GaussianVisible
                ? new GaussianBernoulliRbm(visible, hiddenSizes[i], layerRng)
                : new BernoulliRbm(visible, hiddenSizes[i], layerRng);
            var layerOptions = options.ForLayer(((ulong)layerRng.NextUInt() << 32) | layerRng.NextUInt());
            layers[i].Train(input, layerOptions, progress is null ? null : new LayerProgress(progress, i), cancellationToken, compute);
            if (i < layers.Length - 1)
                input = new InMemoryDataset(HiddenProbabilities(layers[i], input, compute), new float[input.Count], TensorShape.Vector(hiddenSizes[i]));
            visible = hiddenSizes[i];
        }
        return new DeepBeliefNetwork(layers);
    }

    /// <summary>
    /// Writes the top RBM's hidden probabilities for <paramref name="batch"/> samples: the input goes up the
    /// stack through p(h | v) of each RBM, as during pre-training.
    /// </summary>
    public void Transform(ReadOnlySpan<float> visible, int batch, Span<float> features, ComputeContext? compute = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (visible.Length != (long)batch * VisibleCount) throw new ArgumentException($"{batch} samples need {(long)batch * VisibleCount} values; got {visible.Length}.", nameof(visible));
        if (features.Length != (long)batch * FeatureCount) throw new ArgumentException($"{batch} samples give {(long)batch * FeatureCount} features; the span holds {features.Length}.", nameof(features));
        var x = visible;
        for (int i = 0; i < _layers.Length; i++)
        {
            int length = batch * _layers[i].HiddenCount;
            Span<float> output;
            if (i == _layers.Length - 1) output = features;
            else if (i % 2 == 0) output = Rbm.Grow(ref _even, length);
            else output = Rbm.Grow(ref _odd, length);
            _layers[i].HiddenProbabilities(x, batch, output, compute);
            x = output;
        }
    }

    /// <summary>
    /// Copies each RBM's weights W and hidden biases into the dense layers of <paramref name="network"/>,
    /// in order: RBM i initialises the i-th <see cref="Dense"/> layer, and the dense layers above the
    /// stack (the output layer) keep their own initialisation. The network should use sigmoid activations
    /// after these layers, the units the RBMs were trained with. Every shape is checked before anything
    /// is copied.
    /// </summary>
    public void InitializeDense(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        ApplyTo(network.Layers.OfType<Dense>().ToArray());
    }

    /// <summary>
    /// Copies RBM i's W ([hidden, visible], the dense layout [units, inputs]) into <c>layers[i].Weight</c>
    /// and its hidden bias into <c>layers[i].Bias</c>; layers past the stack are left alone. Throws
    /// <see cref="ArgumentException"/>, changing nothing, when there are too few layers or a shape differs.
    /// </summary>
    public void ApplyTo(IReadOnlyList<Dense> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count < _layers.Length)
            throw new ArgumentException($"The deep belief network has {_layers.Length} RBMs to copy but only {layers.Count} dense layers were given.", nameof(layers));
        for (int i = 0; i < _layers.Length; i++)
        {
            var dense = layers[i] ?? throw new ArgumentException($"Dense layer {i} is null.", nameof(layers));
            if (!dense.IsInitialized) throw new ArgumentException($"Dense layer {i} ({dense}) has no weights yet: build the network first.", nameof(layers));
            var rbm = _layers[i];
            if (dense.Weight.Rows != rbm.HiddenCount || dense.Weight.Cols != rbm.VisibleCount)
                throw new ArgumentException(
                    $"Dense layer {i} ({dense}) has weights [{dense.Weight.Rows}, {dense.Weight.Cols}] ([units, inputs]); RBM {i} ({rbm}) has [{rbm.HiddenCount}, {rbm.VisibleCount}] ([hidden, visible]).",
                    nameof(layers));
        }
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i].Weight.Value.CopyTo(layers[i].Weight.Value, 0);
            _layers[i].HiddenBias.Value.CopyTo(layers[i].Bias.Value, 0);
        }
    }

    /// <summary>
    /// Writes the stack in a small versioned binary format: the magic "MLDB", a version, the payload
    /// (per RBM its kind, sizes, weights and biases) and a CRC-32 of everything before it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A weight or bias is NaN or infinite; nothing is written.</exception>
    public void Save(Stream stream) => DeepBeliefNetworkSerializer.Write(this, stream);

    /// <summary>Reads a stack written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is foreign, truncated or damaged, or holds a non-finite value; no allocation exceeds what it stores.</exception>
    public static DeepBeliefNetwork Load(Stream stream) => DeepBeliefNetworkSerializer.Read(stream);

    /// <inheritdoc/>
    public override string ToString() => $"DeepBeliefNetwork({VisibleCount} -> {string.Join(" -> ", _layers.Select(l => l.HiddenCount))})";

    /// <summary>p(h | v) of every sample of <paramref name="data"/>, row after row: the training data of the RBM above.</summary>
    private static float[] HiddenProbabilities(Rbm rbm, Dataset data, ComputeContext? compute)
    {
        const int Chunk = 256;
        var result = new float[checked(data.Count * rbm.HiddenCount)];
        var indices = Enumerable.Range(0, data.Count).ToArray();
        var targets = new float[data.TargetSize];
        for (int start = 0; start < data.Count; start += Chunk)
        {
            int batch = Math.Min(Chunk, data.Count - start);
            var v = rbm.ReadBatch(data, indices.AsSpan(start, batch), targets);
            rbm.HiddenProbabilities(v, batch, result.AsSpan(start * rbm.HiddenCount, batch * rbm.HiddenCount), compute);
        }
        return result;
    }

    /// <summary>Stamps each report of one RBM with its layer index.</summary>
    private sealed class LayerProgress(IProgress<RbmEpochReport> inner, int layer) : IProgress<RbmEpochReport>
    {
        public void Report(RbmEpochReport value) => inner.Report(value with { Layer = layer });
    }
}
