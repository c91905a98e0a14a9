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
/// Each rule's formula is written once, as a rule of the kernels; an optimizer class holds the hyper-parameters,
/// computes the scalars of each step (bias corrections) and names its rule.
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
    private object? _update;         // what the kernels keep for this list and state between steps; null whenever the state is made anew

    /// <summary>Creates an optimizer with the given learning rate.</summary>
    private protected Optimizer(float learningRate) => LearningRate = learningRate;

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

    /// <summary>How many arrays of state the rule keeps per parameter, each as long as the parameter: its rule's <c>Slots</c>.</summary>
    private protected abstract int StateSlots { get; }

    /// <summary>
    /// Updates every parameter in place from its <see cref="Parameter.Gradient"/>. The first call fixes the list
    /// the optimizer serves (their number and lengths) and allocates the state; a later call with a list of another
    /// shape throws <see cref="InvalidOperationException"/> (call <see cref="ResetState"/> to start over).
    /// </summary>
    public void Step(IReadOnlyList<Parameter> parameters, ComputeContext? compute = null) => StepWithGradientSquares(parameters, compute, default);

    /// <summary>
    /// <see cref="Step(IReadOnlyList{Parameter}, ComputeContext?)"/>, and when <paramref name="gradientSquares"/> is not
    /// empty (one element a parameter) each parameter's sum of squared gradients, as the step read them: the trainer's
    /// gradient norms without a second pass over the gradients.
    /// </summary>
    internal void StepWithGradientSquares(IReadOnlyList<Parameter> parameters, ComputeContext? compute, Span<double> gradientSquares)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        compute ??= ComputeContext.Default;
        if (_lengths is null) AllocateState(parameters);
        else CheckShape(parameters, _lengths);
        StepCount++;
        BeginStep();
        // The one place an optimizer names threads: the kernels split the step over them, with the same bits for any count.
        Update(new OptimizerStep(parameters, _state, ref _update, compute, gradientSquares));
    }

    /// <summary>
    /// Called once per step, after <see cref="StepCount"/> has been incremented and before <see cref="Update"/>,
    /// to compute the scalars the step shares across parameters (bias corrections).
    /// </summary>
    private protected virtual void BeginStep()
    {
    }

    /// <summary>
    /// Names the rule and its scalars for this step: calls <see cref="OptimizerStep.Apply"/> once, with the rule
    /// for weights (which carries <see cref="WeightDecay"/>) and the rule for biases (which does not).
    /// </summary>
    private protected abstract void Update(OptimizerStep step);

    /// <summary>Forgets the state and sets <see cref="StepCount"/> to 0, so the next step may serve another list of parameters.</summary>
    public void ResetState()
    {
        _lengths = null;
        _state = [];
        _update = null;
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
        _update = null;
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
        _update = null;
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
