using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// Updates trainable parameters in place from their gradients, one <see cref="Step"/> per mini-batch.
/// An optimizer keeps per-parameter state (velocities, moment estimates) for one fixed list of
/// parameters, allocated on the first step; after that a step allocates nothing.
/// </summary>
/// <remarks>
/// <see cref="WeightDecay"/> is coupled L2 regularisation: the gradient of <c>0.5 * WeightDecay * |w|^2</c>
/// is added to the gradient of every weight (never of a bias) before the rule sees it, as in PyTorch's
/// <c>weight_decay</c>. <see cref="AdamW"/> gives the property its decoupled meaning instead.
/// </remarks>
public abstract class Optimizer
{
    // "MLNO" little-endian; the version changes whenever the layout below does.
    private const int StateMagic = 0x4F4E4C4D;
    private const int StateVersion = 1;

    private float _learningRate;
    private float _weightDecay;
    private int[]? _lengths;      // the length of each parameter the state was made for; null before the first step
    private float[][][] _state = []; // _state[p][s]: slot s of parameter p

    /// <summary>Creates an optimizer with the given learning rate.</summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>Creates an optimizer of <paramref name="kind"/> with the published defaults for its other hyper-parameters.</summary>
    public static Optimizer Create(OptimizerKind kind, float learningRate) => kind switch
    {
        OptimizerKind.Sgd => new Sgd(learningRate),
        OptimizerKind.Momentum => new Momentum(learningRate),
        OptimizerKind.Nesterov => new Nesterov(learningRate),
        OptimizerKind.Adagrad => new Adagrad(learningRate),
        OptimizerKind.RmsProp => new RmsProp(learningRate),
        OptimizerKind.AdaDelta => new AdaDelta(learningRate),
        OptimizerKind.Adam => new Adam(learningRate),
        OptimizerKind.AdamW => new AdamW(learningRate),
        OptimizerKind.NAdam => new NAdam(learningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"{kind} is not an {nameof(OptimizerKind)}."),
    };

    /// <summary>Which rule this optimizer follows; also tags its saved state.</summary>
    public abstract OptimizerKind Kind { get; }

    /// <summary>The step size, finite and greater than 0. A learning-rate schedule sets it before each epoch.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = HyperParameter.Positive(value, nameof(LearningRate));
    }

    /// <summary>
    /// The L2 coefficient applied to weights only (parameters with <see cref="Parameter.IsWeight"/>), finite and at least 0.
    /// Coupled: the rule sees <c>g + WeightDecay * w</c>. <see cref="AdamW"/> decouples it.
    /// </summary>
    public float WeightDecay
    {
        get => _weightDecay;
        set => _weightDecay = HyperParameter.NonNegative(value, nameof(WeightDecay));
    }

    /// <summary>The number of steps taken: <c>t</c> in the bias corrections of Adam and its kin.</summary>
    public long StepCount { get; private set; }

    /// <summary>How many arrays of state the rule keeps per parameter, each as long as the parameter.</summary>
    protected abstract int StateSlots { get; }

    /// <summary>
    /// Updates every parameter in place from its <see cref="Parameter.Gradient"/>. The first call fixes the list
    /// the optimizer serves (their number and lengths) and allocates the state; a later call with a list of another
    /// shape throws <see cref="InvalidOperationException"/> (call <see cref="ResetState"/> to start over).
    /// </summary>
    public void Step(IReadOnlyList<Parameter> parameters, ComputeContext? compute = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        compute ??= ComputeContext.Default;
        if (_lengths is null) AllocateState(parameters);
        else CheckShape(parameters, _lengths);
        StepCount++;
        BeginStep();
        if (IsElementWise && compute.Threads > 1 && TryStepInParallel(parameters, compute)) return;
        float[][][] state = _state;
        for (int i = 0; i < state.Length; i++)
        {
            Parameter p = parameters[i];
            Update(p.Value, p.Gradient, new OptimizerState(state[i], 0, p.Length), p.IsWeight ? _weightDecay : 0f);
        }
    }

    /// <summary>
    /// True when <see cref="Update"/> treats every element on its own, so that a parameter may be
    /// updated in ranges, on several threads, with the same result. Every built-in rule is; a
    /// subclass whose rule looks across elements (a norm of the whole parameter, say) must return false.
    /// </summary>
    protected virtual bool IsElementWise => false;

    /// <summary>
    /// Splits the parameters into ranges of <see cref="ChunkSize"/> and updates them on the kernel
    /// threads. Ranges start at multiples of every vector width, so each element goes through the
    /// same operations as in one sequential pass: the result is bit-identical.
    /// </summary>
    private bool TryStepInParallel(IReadOnlyList<Parameter> parameters, ComputeContext compute)
    {
        _chunks ??= MakeChunks(_lengths!);
        if (_chunks.Length < 2) return false;
        _work ??= new ParallelUpdate(this);
        _work.Parameters = parameters;
        try
        {
            return compute.Pool.TryRun(_work, _chunks.Length);
        }
        finally
        {
            _work.Parameters = null;
        }
    }

    /// <summary>Elements a range: 5 arrays of 64 KB stay in L2 while a thread updates them.</summary>
    private const int ChunkSize = 16384;

    /// <summary>Below this many values in all, waking a worker costs more than it saves.</summary>
    private const int ParallelThreshold = 4 * ChunkSize;

    private (int Parameter, int Start, int Length)[]? _chunks;
    private ParallelUpdate? _work;

    private static (int, int, int)[] MakeChunks(int[] lengths)
    {
        if (lengths.Sum(l => (long)l) < ParallelThreshold) return [];
        var chunks = new List<(int, int, int)>();
        for (int p = 0; p < lengths.Length; p++)
            for (int start = 0; start < lengths[p]; start += ChunkSize)
                chunks.Add((p, start, Math.Min(ChunkSize, lengths[p] - start)));
        return [.. chunks];
    }

    /// <summary>One range of one parameter a part; an object kept by the optimizer, so a step allocates nothing.</summary>
    private sealed class ParallelUpdate(Optimizer owner) : IParallelWork
    {
        public IReadOnlyList<Parameter>? Parameters;

        public void Run(int part)
        {
            var (index, start, length) = owner._chunks![part];
            Parameter p = Parameters![index];
            owner.Update(p.Value.AsSpan(start, length), p.Gradient.AsSpan(start, length),
                new OptimizerState(owner._state[index], start, length), p.IsWeight ? owner._weightDecay : 0f);
        }
    }

    /// <summary>
    /// Called once per step, after <see cref="StepCount"/> has been incremented and before any
    /// <see cref="Update"/>, to compute the scalars the step shares across parameters (bias corrections).
    /// </summary>
    protected virtual void BeginStep()
    {
    }

    /// <summary>Applies the rule to one parameter.</summary>
    /// <param name="value">The parameter's values, updated in place.</param>
    /// <param name="gradient">The gradient of the loss with respect to <paramref name="value"/>; not modified.</param>
    /// <param name="state">This parameter's <see cref="StateSlots"/> state arrays, over the same elements as <paramref name="value"/>
    /// (the whole parameter, or one range of it when <see cref="IsElementWise"/> lets the step run in parallel).</param>
    /// <param name="weightDecay"><see cref="WeightDecay"/> for a weight, 0 for a bias.</param>
    protected abstract void Update(Span<float> value, ReadOnlySpan<float> gradient, OptimizerState state, float weightDecay);

    /// <summary>Forgets the state and sets <see cref="StepCount"/> to 0, so the next step may serve another list of parameters.</summary>
    public void ResetState()
    {
        _lengths = null;
        _state = [];
        _chunks = null;
        StepCount = 0;
    }

    /// <summary>The state array <paramref name="slot"/> of parameter <paramref name="parameter"/>, for tests.</summary>
    internal float[] GetState(int parameter, int slot) => _state[parameter][slot];

    /// <summary>
    /// Saves <see cref="Kind"/>, <see cref="StepCount"/>, <see cref="LearningRate"/> and every state value bit for bit,
    /// so that <see cref="ReadState"/> resumes a run exactly. Hyper-parameters are not saved: they come from the options.
    /// </summary>
    public void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateMagic);
        writer.Write(StateVersion);
        writer.Write((int)Kind);
        writer.Write(StepCount);
        writer.Write(_learningRate);
        writer.Write(StateSlots);
        if (_lengths is null)
        {
            writer.Write(-1); // no step taken yet: no state
            return;
        }
        writer.Write(_lengths.Length);
        for (int p = 0; p < _lengths.Length; p++)
        {
            writer.Write(_lengths[p]);
            foreach (float[] slot in _state[p])
                foreach (float x in slot)
                    writer.Write(x);
        }
    }

    /// <summary>
    /// Restores what <see cref="WriteState"/> saved. Throws <see cref="InvalidDataException"/> when the data is not
    /// the state of an optimizer of this kind, is cut short, or (when this optimizer already has state) was made for
    /// parameters of other lengths; the optimizer is then left as it was. A state saved before the first step
    /// restores an optimizer without state, like <see cref="ResetState"/> with the saved learning rate.
    /// </summary>
    public void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            ReadStateCore(reader);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The {Kind} optimizer state ends early.", e);
        }
    }

    private void ReadStateCore(BinaryReader reader)
    {
        if (reader.ReadInt32() != StateMagic)
            throw new InvalidDataException("The data is not an optimizer state.");
        int version = reader.ReadInt32();
        if (version != StateVersion)
            throw new InvalidDataException($"The optimizer state has version {version}; this build reads version {StateVersion}.");
        var kind = (OptimizerKind)reader.ReadInt32();
        if (kind != Kind)
            throw new InvalidDataException($"The optimizer state is for {kind}; this optimizer is {Kind}.");
        long stepCount = reader.ReadInt64();
        if (stepCount < 0)
            throw new InvalidDataException($"The optimizer state has a negative step count ({stepCount}).");
        float learningRate = reader.ReadSingle();
        if (!(learningRate > 0 && float.IsFinite(learningRate)))
            throw new InvalidDataException($"The optimizer state has an invalid learning rate ({learningRate}).");
        int slots = reader.ReadInt32();
        if (slots != StateSlots)
            throw new InvalidDataException($"The optimizer state has {slots} arrays per parameter; {Kind} keeps {StateSlots}.");
        int count = reader.ReadInt32();
        if (count < -1)
            throw new InvalidDataException($"The optimizer state has an invalid parameter count ({count}).");
        if (_lengths is not null && count >= 0 && count != _lengths.Length)
            throw new InvalidDataException($"The optimizer state is for {count} parameters; this optimizer serves {_lengths.Length}.");

        int[]? lengths = count < 0 ? null : new int[count];
        float[][][] state = count < 0 ? [] : new float[count][][];
        for (int p = 0; p < count; p++)
        {
            int length = reader.ReadInt32();
            if (length <= 0)
                throw new InvalidDataException($"The optimizer state gives parameter {p} an invalid length ({length}).");
            if (_lengths is not null && length != _lengths[p])
                throw new InvalidDataException($"The optimizer state gives parameter {p} {length} values; it has {_lengths[p]}.");
            Stream stream = reader.BaseStream;
            if (stream.CanSeek && stream.Length - stream.Position < (long)length * slots * sizeof(float))
                throw new InvalidDataException($"The optimizer state ends early, in parameter {p}.");
            lengths![p] = length;
            state[p] = new float[slots][];
            for (int s = 0; s < slots; s++)
            {
                float[] slot = state[p][s] = new float[length];
                for (int i = 0; i < slot.Length; i++)
                    slot[i] = reader.ReadSingle();
            }
        }

        // Everything has been read and checked: only now change the optimizer, so a bad stream leaves it intact.
        StepCount = stepCount;
        _learningRate = learningRate;
        _lengths = lengths;
        _state = state;
        _chunks = null;
    }

    private void AllocateState(IReadOnlyList<Parameter> parameters)
    {
        var lengths = new int[parameters.Count];
        var state = new float[lengths.Length][][];
        for (int p = 0; p < lengths.Length; p++)
        {
            Parameter parameter = parameters[p] ?? throw new ArgumentException($"Parameter {p} of the list is null.", nameof(parameters));
            lengths[p] = parameter.Length;
            state[p] = new float[StateSlots][];
            for (int s = 0; s < StateSlots; s++)
                state[p][s] = new float[parameter.Length];
        }
        _lengths = lengths;
        _state = state;
        _chunks = null;
    }

    private void CheckShape(IReadOnlyList<Parameter> parameters, int[] lengths)
    {
        if (parameters.Count != lengths.Length)
            throw new InvalidOperationException(
                $"This {Kind} optimizer holds state for {lengths.Length} parameters; it was given {parameters.Count}. Use one optimizer per network, or call ResetState.");
        for (int p = 0; p < lengths.Length; p++)
        {
            Parameter parameter = parameters[p] ?? throw new ArgumentException($"Parameter {p} of the list is null.", nameof(parameters));
            if (parameter.Length != lengths[p])
                throw new InvalidOperationException(
                    $"This {Kind} optimizer holds state for a parameter {p} of {lengths[p]} values; '{parameter.Name}' has {parameter.Length}. Use one optimizer per network, or call ResetState.");
        }
    }
}
