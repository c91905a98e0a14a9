using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// What a layer builds itself with (<see cref="Layer.Initialize(TensorShape, Rng)"/>): the random generator of
/// initial values, and the one place that makes its state, so that the layer's trainable parameters, its buffers
/// and its own random generators are listed for it, in the order it made them, and reach optimizers, model files
/// and checkpoints without the layer listing them again. A container builds its children through it.
/// </summary>
/// <remarks>
/// The builder also bounds the values the layers may allocate: a model file can ask for no more memory than the
/// weights it stores, checked before each allocation.
/// </remarks>
public sealed class LayerBuilder
{
    private readonly Stack<Scope> _scopes = new();
    private long _budget;

    /// <summary>Creates a builder that draws from <paramref name="random"/>.</summary>
    public LayerBuilder(Rng random) : this(random, long.MaxValue, fuseLayers: true) { }

    internal LayerBuilder(Rng random, long maxValues, bool fuseLayers)
    {
        Random = random ?? throw new ArgumentNullException(nameof(random));
        _budget = maxValues;
        FuseLayers = fuseLayers;
    }

    /// <summary>The generator the initial weights are drawn from.</summary>
    public Rng Random { get; }

    /// <summary>True when containers apply <see cref="LayerFusion"/> to their children (a network's choice).</summary>
    public bool FuseLayers { get; }

    /// <summary>A trainable parameter of <paramref name="rows"/> x <paramref name="cols"/> zeros, with its gradient.</summary>
    /// <param name="name">Unique within the layer: "weight", "bias".</param>
    /// <param name="rows">Output units for a weight matrix, 1 for a bias.</param>
    /// <param name="cols">Inputs per unit for a weight matrix, units for a bias.</param>
    /// <param name="isWeight">True for weights (L2 decay and max-norm apply), false for biases and scales.</param>
    public Parameter Parameter(string name, int rows, int cols, bool isWeight)
    {
        Spend((long)rows * cols, name, "parameter");
        var parameter = new Parameter(name, rows, cols, isWeight);
        Current.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A buffer of <paramref name="length"/> zeros: state that is saved but not trained.</summary>
    public LayerBuffer Buffer(string name, int length)
    {
        Spend(length, name, "buffer");
        var buffer = new LayerBuffer(name, length);
        Current.Buffers.Add(buffer);
        return buffer;
    }

    /// <summary>A generator of the layer's own (dropout masks, augmentation), forked from <see cref="Random"/>; checkpoints save its state.</summary>
    public Rng Generator()
    {
        var rng = Random.Fork();
        Current.Generators.Add(rng);
        return rng;
    }

    /// <summary>Builds <paramref name="child"/> of a container for samples of <paramref name="inputShape"/>; returns its output shape.</summary>
    public TensorShape Initialize(Layer child, TensorShape inputShape)
    {
        ArgumentNullException.ThrowIfNull(child);
        return child.Initialize(inputShape, this);
    }

    internal void Begin() => _scopes.Push(new Scope());

    internal (Parameter[] Parameters, LayerBuffer[] Buffers, Rng[] Generators) End()
    {
        var scope = _scopes.Pop();
        return ([.. scope.Parameters], [.. scope.Buffers], [.. scope.Generators]);
    }

    private Scope Current => _scopes.Count > 0 ? _scopes.Peek() : throw new InvalidOperationException("State is made inside a layer's Build only.");

    private void Spend(long values, string name, string kind)
    {
        if (values > _budget)
            throw new ArgumentException($"The {kind} '{name}' would hold {values} {kind} values; at most {_budget} are available.");
        _budget -= values;
    }

    private sealed class Scope
    {
        public List<Parameter> Parameters { get; } = [];
        public List<LayerBuffer> Buffers { get; } = [];
        public List<Rng> Generators { get; } = [];
    }
}
