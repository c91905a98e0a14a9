namespace MLNetDeep.Engine.Kernels.OptimizerRules;

/// <summary>
/// Which of Adam's optional terms (the coupled decay, AdamW's decoupled decay and NAdam's gradient step) an
/// <see cref="AdamRule{TTerms}"/> computes. A type argument rather than a field, so that the JIT compiles the plain
/// rule without them: they are six of the pass's forty-odd vector operations, and the pass is bound by its
/// operations, not by memory (GemmProbe --adam).
/// </summary>
internal static class AdamTerms
{
    /// <summary>Whether the optional terms are computed; a constant of the type, so the JIT drops the unused code.</summary>
    public interface IChoice
    {
        static abstract bool Optional { get; }
    }

    /// <summary>All of them, whatever their scalars.</summary>
    public readonly struct All : IChoice
    {
        public static bool Optional => true;
    }

    /// <summary>
    /// None: for a step whose optional scalars are all zero. Leaving them out gives the values <see cref="All"/> gives
    /// with those zeros: for finite w and g, <c>g + 0 * w</c> is g and <c>w - 0 * w</c> is w (at most the sign of a zero differs).
    /// </summary>
    public readonly struct Plain : IChoice
    {
        public static bool Optional => false;
    }
}
