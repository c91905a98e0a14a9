namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// The state arrays (velocities, moment estimates...) of one parameter, or of the range of it that
/// one <see cref="Optimizer"/> update covers: <c>state[slot]</c> lines up element for element with
/// the values and gradient passed beside it.
/// </summary>
public readonly ref struct OptimizerState
{
    private readonly float[][] _slots;
    private readonly int _start, _length;

    internal OptimizerState(float[][] slots, int start, int length)
    {
        _slots = slots;
        _start = start;
        _length = length;
    }

    /// <summary>The number of state arrays.</summary>
    public int Count => _slots.Length;

    /// <summary>State array <paramref name="slot"/>, over the same elements as the update's values.</summary>
    public Span<float> this[int slot] => _slots[slot].AsSpan(_start, _length);
}
