using MLNetDeep.Engine.Kernels.OptimizerRules;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// Applies one optimizer rule to a fixed list of parameters and their state, on the calling thread or split into
/// ranges on a <see cref="WorkerPool"/>. Ranges start at multiples of every vector width, so each element goes
/// through the same operations as in one pass over the whole parameter: the result is bit-identical for any
/// thread count. Made once for the lengths of the list the optimizer serves; a step allocates nothing.
/// The pass also gives each parameter's sum of squared gradients: each range's sum is kept apart and the ranges
/// are added in their order, and a list large enough to be split is split into the same ranges on one thread
/// too, so these sums are also the same for any thread count.
/// </summary>
internal sealed class ParameterUpdate<TRule> : IParallelWork
    where TRule : struct, IOptimizerRule
{
    /// <summary>Elements a range: 5 arrays of 64 KB stay in L2 while a thread updates them; a multiple of every vector width.</summary>
    private const int ChunkSize = 16384;

    /// <summary>Below this many values in all, waking a worker costs more than it saves.</summary>
    private const int ParallelThreshold = 4 * ChunkSize;

    private readonly (int Parameter, int Start, int Length)[] _chunks;
    private readonly double[] _chunkSquares;

    // The operands of the parallel run in progress; cleared after it, so the job keeps nothing alive.
    private IReadOnlyList<Parameter>? _parameters;
    private float[][][] _state = [];
    private TRule _weightRule, _biasRule;

    /// <summary>Makes the update for <paramref name="parameters"/>, whose state holds <see cref="IOptimizerRule.Slots"/> arrays each.</summary>
    public ParameterUpdate(IReadOnlyList<Parameter> parameters, float[][][] state)
    {
        if (state.Length != parameters.Count || state.Any(slots => slots.Length != TRule.Slots))
            throw new InvalidOperationException($"{typeof(TRule).Name} keeps {TRule.Slots} state arrays per parameter; the optimizer holds another number.");
        _chunks = MakeChunks(parameters);
        _chunkSquares = new double[_chunks.Length];
    }

    /// <summary>
    /// Updates every parameter in place from its gradient with <paramref name="weightRule"/> (for weights) or
    /// <paramref name="biasRule"/> (for biases) and <paramref name="state"/>[p], the parameter's state arrays.
    /// Uses up to <paramref name="threads"/> threads of <paramref name="pool"/> when the list is large enough and
    /// the pool is free, the calling thread alone otherwise. When <paramref name="gradientSquares"/> is not empty
    /// (one element a parameter), it receives each parameter's sum of squared gradients.
    /// </summary>
    public void Run(IReadOnlyList<Parameter> parameters, float[][][] state, TRule weightRule, TRule biasRule, WorkerPool pool, int threads,
        Span<double> gradientSquares)
    {
        if (!gradientSquares.IsEmpty && gradientSquares.Length != parameters.Count)
            throw new ArgumentException($"{nameof(gradientSquares)} has {gradientSquares.Length} elements; there are {parameters.Count} parameters.", nameof(gradientSquares));
        if (_chunks.Length == 0)
        {
            for (int p = 0; p < state.Length; p++)
            {
                Parameter parameter = parameters[p];
                double squares = Update(parameter, state[p], 0, parameter.Length, parameter.IsWeight ? weightRule : biasRule);
                if (!gradientSquares.IsEmpty) gradientSquares[p] = squares;
            }
            return;
        }
        _parameters = parameters;
        _state = state;
        _weightRule = weightRule;
        _biasRule = biasRule;
        try
        {
            if (threads <= 1 || !pool.TryRun(this, _chunks.Length))
                for (int part = 0; part < _chunks.Length; part++) ((IParallelWork)this).Run(part);
        }
        finally
        {
            _parameters = null;
            _state = [];
        }
        if (gradientSquares.IsEmpty) return;
        gradientSquares.Clear();
        for (int part = 0; part < _chunks.Length; part++) gradientSquares[_chunks[part].Parameter] += _chunkSquares[part];
    }

    /// <summary>Updates range <paramref name="part"/>: part of one parameter.</summary>
    void IParallelWork.Run(int part)
    {
        var (index, start, length) = _chunks[part];
        Parameter parameter = _parameters![index];
        _chunkSquares[part] = Update(parameter, _state[index], start, length, parameter.IsWeight ? _weightRule : _biasRule);
    }

    private static double Update(Parameter parameter, float[][] slots, int start, int length, TRule rule) =>
        OptimizerKernels.Update(parameter.Value.AsSpan(start, length), parameter.Gradient.AsSpan(start, length),
            TRule.Slots > 0 ? slots[0].AsSpan(start, length) : default,
            TRule.Slots > 1 ? slots[1].AsSpan(start, length) : default, rule);

    private static (int, int, int)[] MakeChunks(IReadOnlyList<Parameter> parameters)
    {
        if (parameters.Sum(p => (long)p.Length) < ParallelThreshold) return [];
        var chunks = new List<(int, int, int)>();
        for (int p = 0; p < parameters.Count; p++)
            for (int start = 0; start < parameters[p].Length; start += ChunkSize)
                chunks.Add((p, start, Math.Min(ChunkSize, parameters[p].Length - start)));
        return [.. chunks];
    }
}
