using MLNetDeep.Engine.Kernels.OptimizerRules;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// One optimizer step as the kernels see it: the parameters, the optimizer's state arrays for them, and the
/// threads the step may use. The optimizer computes its step's scalars and names its rule through
/// <see cref="Apply{TRule}"/>; the kernels do the rest.
/// </summary>
internal readonly ref struct OptimizerStep
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly float[][][] _state;
    private readonly ref object? _update;
    private readonly WorkerPool _pool;
    private readonly int _threads;
    private readonly Span<double> _gradientSquares;

    /// <summary>
    /// Describes a step over <paramref name="parameters"/> with <paramref name="state"/>[p][slot] the state of
    /// parameter p, on <paramref name="compute"/>'s threads. <paramref name="update"/>
    /// is the optimizer's own place for the <see cref="ParameterUpdate{TRule}"/> made for this list and state, opaque to it (null
    /// at first, and whenever the state is made anew): the first step makes it, later steps reuse it.
    /// <paramref name="gradientSquares"/>, when not empty, receives each parameter's sum of squared gradients, read in the same pass.
    /// </summary>
    public OptimizerStep(IReadOnlyList<Parameter> parameters, float[][][] state, ref object? update, ComputeContext compute, Span<double> gradientSquares)
    {
        _gradientSquares = gradientSquares;
        _parameters = parameters;
        _state = state;
        _update = ref update;
        _pool = compute.Pool;
        _threads = compute.Threads;
    }

    /// <summary>Updates every parameter with <paramref name="weightRule"/> if it is a weight, <paramref name="biasRule"/> if a bias.</summary>
    public void Apply<TRule>(TRule weightRule, TRule biasRule)
        where TRule : struct, IOptimizerRule
    {
        if (_update is not ParameterUpdate<TRule> update)
            _update = update = new ParameterUpdate<TRule>(_parameters, _state);
        update.Run(_parameters, _state, weightRule, biasRule, _pool, _threads, _gradientSquares);
    }
}
