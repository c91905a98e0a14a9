using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The element-wise update rules of the optimizers, each a single fused pass over a parameter's values,
/// its gradient and its state (one read and one write of each array), with <see cref="Vector{T}"/> lanes.
/// Every rule takes a coupled L2 coefficient <c>weightDecay</c> and uses <c>g + weightDecay * w</c> in place
/// of the gradient <c>g</c>; pass 0 for biases. The gradient array itself is never modified.
/// </summary>
/// <remarks>
/// Results are deterministic: every element goes through the same sequence of IEEE single-precision
/// operations (no fused multiply-add, whose availability differs between machines), whatever the vector
/// width and whatever its position in the array.
/// </remarks>
internal static class OptimizerKernels
{
    /// <summary>Plain gradient descent: <c>w -= lr * g</c>.</summary>
    public static void Sgd(Span<float> value, ReadOnlySpan<float> gradient, float learningRate, float weightDecay)
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        Run(value, gradient, default, default, new SgdRule(learningRate, weightDecay));
    }

    /// <summary>Heavy-ball momentum (Polyak 1964): <c>v = mu * v + g; w -= lr * v</c>.</summary>
    public static void Momentum(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity,
        float learningRate, float momentum, float weightDecay)
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        CheckLength(value, velocity.Length, nameof(velocity));
        Run(value, gradient, velocity, default, new MomentumRule(learningRate, momentum, weightDecay));
    }

    /// <summary>
    /// Nesterov momentum in the form of Sutskever et al. (2013) as PyTorch writes it:
    /// <c>v = mu * v + g; w -= lr * (g + mu * v)</c>.
    /// </summary>
    public static void Nesterov(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity,
        float learningRate, float momentum, float weightDecay)
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        CheckLength(value, velocity.Length, nameof(velocity));
        Run(value, gradient, velocity, default, new NesterovRule(learningRate, momentum, weightDecay));
    }

    /// <summary>Adagrad (Duchi, Hazan and Singer 2011): <c>s += g * g; w -= lr * g / (sqrt(s) + eps)</c>.</summary>
    public static void Adagrad(Span<float> value, ReadOnlySpan<float> gradient, Span<float> sumOfSquares,
        float learningRate, float epsilon, float weightDecay)
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        CheckLength(value, sumOfSquares.Length, nameof(sumOfSquares));
        Run(value, gradient, sumOfSquares, default, new AdagradRule(learningRate, epsilon, weightDecay));
    }

    /// <summary>
    /// RMSProp (Tieleman and Hinton 2012, lecture 6e):
    /// <c>s = rho * s + (1 - rho) * g * g; w -= lr * g / (sqrt(s) + eps)</c>.
    /// </summary>
    public static void RmsProp(Span<float> value, ReadOnlySpan<float> gradient, Span<float> meanSquare,
        float learningRate, float rho, float epsilon, float weightDecay)
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        CheckLength(value, meanSquare.Length, nameof(meanSquare));
        Run(value, gradient, meanSquare, default, new RmsPropRule(learningRate, rho, epsilon, weightDecay));
    }

    /// <summary>
    /// AdaDelta (Zeiler 2012, Algorithm 1), with the learning rate as a final multiplier as in PyTorch:
    /// <c>a = rho * a + (1 - rho) * g * g; d = sqrt(b + eps) / sqrt(a + eps) * g; b = rho * b + (1 - rho) * d * d; w -= lr * d</c>,
    /// where <c>a</c> is <paramref name="meanSquareGradient"/> and <c>b</c> is <paramref name="meanSquareDelta"/>.
    /// </summary>
    public static void AdaDelta(Span<float> value, ReadOnlySpan<float> gradient, Span<float> meanSquareGradient,
        Span<float> meanSquareDelta, float learningRate, float rho, float epsilon, float weightDecay)
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        CheckLength(value, meanSquareGradient.Length, nameof(meanSquareGradient));
        CheckLength(value, meanSquareDelta.Length, nameof(meanSquareDelta));
        Run(value, gradient, meanSquareGradient, meanSquareDelta, new AdaDeltaRule(learningRate, rho, epsilon, weightDecay));
    }

    /// <summary>
    /// Adam (Kingma and Ba 2015, Algorithm 1) with an optional decoupled decay (Loshchilov and Hutter 2019):
    /// <c>m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g;
    /// w = w - decoupledDecay * w - stepSize * m / (sqrt(v) * secondMomentScale + eps)</c>.
    /// The caller folds the bias corrections into the step's scalars:
    /// <paramref name="stepSize"/> = lr / (1 - b1^t) and <paramref name="secondMomentScale"/> = 1 / sqrt(1 - b2^t),
    /// which is the paper's <c>lr * m_hat / (sqrt(v_hat) + eps)</c> exactly.
    /// </summary>
    public static void Adam(Span<float> value, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        float beta1, float beta2, float epsilon, float stepSize, float secondMomentScale, float weightDecay, float decoupledDecay)
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        CheckLength(value, firstMoment.Length, nameof(firstMoment));
        CheckLength(value, secondMoment.Length, nameof(secondMoment));
        Run(value, gradient, firstMoment, secondMoment,
            new AdamRule(beta1, beta2, epsilon, gradientStep: 0f, momentumStep: stepSize, secondMomentScale, weightDecay, decoupledDecay));
    }

    /// <summary>
    /// NAdam (Dozat 2016): the moments as in Adam, then
    /// <c>w -= (gradientStep * g + momentumStep * m) / (sqrt(v) * secondMomentScale + eps)</c>,
    /// where the caller folds the momentum schedule and bias corrections into <paramref name="gradientStep"/>
    /// and <paramref name="momentumStep"/>.
    /// </summary>
    public static void NAdam(Span<float> value, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        float beta1, float beta2, float epsilon, float gradientStep, float momentumStep, float secondMomentScale, float weightDecay)
    {
        CheckLength(value, gradient.Length, nameof(gradient));
        CheckLength(value, firstMoment.Length, nameof(firstMoment));
        CheckLength(value, secondMoment.Length, nameof(secondMoment));
        Run(value, gradient, firstMoment, secondMoment,
            new AdamRule(beta1, beta2, epsilon, gradientStep, momentumStep, secondMomentScale, weightDecay, decoupledDecay: 0f));
    }

    private static void CheckLength(Span<float> value, int length, string name)
    {
        if (length != value.Length)
            throw new ArgumentException($"{name} has {length} elements; the parameter has {value.Length}.", name);
    }

    /// <summary>One update rule on a vector of elements: the parameter, its gradient and up to two state slots.</summary>
    /// <remarks>
    /// Implementations mark <c>Apply</c> AggressiveInlining: without it the JIT declines to inline the larger rules
    /// (AdaDelta, Adam) and the loop becomes a call per vector through the stack, several times slower.
    /// </remarks>
    private interface IRule
    {
        /// <summary>How many state arrays the rule reads and writes; a constant, so the JIT drops unused loads.</summary>
        static abstract int Slots { get; }

        void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> s0, ref Vector<float> s1);
    }

    // The rule is a struct type argument so that the JIT compiles one specialised, inlined loop per rule:
    // each formula is written once and there is no call or allocation per element. It is passed by value
    // (one copy per call) and then by ref, never as an `in` parameter: the compiler cannot know that a
    // generic struct is readonly, and would copy it before every Apply.
    private static void Run<TRule>(Span<float> value, ReadOnlySpan<float> gradient, Span<float> slot0, Span<float> slot1, TRule rule)
        where TRule : struct, IRule
    {
        ref float w = ref MemoryMarshal.GetReference(value);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float s0 = ref MemoryMarshal.GetReference(slot0);
        ref float s1 = ref MemoryMarshal.GetReference(slot1);
        int width = Vector<float>.Count;
        int full = value.Length - value.Length % width;
        for (int i = 0; i < full; i += width)
            ApplyAt(ref rule, ref w, ref g, ref s0, ref s1, (nuint)i);
        if (full < value.Length)
        {
            Tail(value[full..], gradient[full..], TRule.Slots > 0 ? slot0[full..] : default,
                TRule.Slots > 1 ? slot1[full..] : default, rule);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyAt<TRule>(ref TRule rule, ref float w, ref float g, ref float s0, ref float s1, nuint i)
        where TRule : struct, IRule
    {
        Vector<float> vw = Vector.LoadUnsafe(ref w, i);
        Vector<float> vg = Vector.LoadUnsafe(ref g, i);
        Vector<float> v0 = TRule.Slots > 0 ? Vector.LoadUnsafe(ref s0, i) : default;
        Vector<float> v1 = TRule.Slots > 1 ? Vector.LoadUnsafe(ref s1, i) : default;
        rule.Apply(ref vw, vg, ref v0, ref v1);
        vw.StoreUnsafe(ref w, i);
        if (TRule.Slots > 0) v0.StoreUnsafe(ref s0, i);
        if (TRule.Slots > 1) v1.StoreUnsafe(ref s1, i);
    }

    // The last (length % width) elements go through the same vector code on a zero-padded copy on the
    // stack, so no rule needs a second, scalar spelling that could drift from the first. The padding
    // lanes may compute 0/0; they are discarded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tail<TRule>(Span<float> value, ReadOnlySpan<float> gradient, Span<float> slot0, Span<float> slot1, TRule rule)
        where TRule : struct, IRule
    {
        int width = Vector<float>.Count;
        Span<float> pad = stackalloc float[4 * width];
        Span<float> w = pad[..width], g = pad.Slice(width, width), s0 = pad.Slice(2 * width, width), s1 = pad.Slice(3 * width, width);
        value.CopyTo(w);
        gradient.CopyTo(g);
        slot0.CopyTo(s0);
        slot1.CopyTo(s1);
        ApplyAt(ref rule, ref MemoryMarshal.GetReference(w), ref MemoryMarshal.GetReference(g),
            ref MemoryMarshal.GetReference(s0), ref MemoryMarshal.GetReference(s1), 0);
        w[..value.Length].CopyTo(value);
        s0[..slot0.Length].CopyTo(slot0);
        s1[..slot1.Length].CopyTo(slot1);
    }

    private readonly struct SgdRule(float learningRate, float weightDecay) : IRule
    {
        private readonly Vector<float> _lr = new(learningRate), _decay = new(weightDecay);

        public static int Slots => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> s0, ref Vector<float> s1)
        {
            g += _decay * w;
            w -= _lr * g;
        }
    }

    private readonly struct MomentumRule(float learningRate, float momentum, float weightDecay) : IRule
    {
        private readonly Vector<float> _lr = new(learningRate), _mu = new(momentum), _decay = new(weightDecay);

        public static int Slots => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> v, ref Vector<float> unused)
        {
            g += _decay * w;
            v = _mu * v + g;
            w -= _lr * v;
        }
    }

    private readonly struct NesterovRule(float learningRate, float momentum, float weightDecay) : IRule
    {
        private readonly Vector<float> _lr = new(learningRate), _mu = new(momentum), _decay = new(weightDecay);

        public static int Slots => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> v, ref Vector<float> unused)
        {
            g += _decay * w;
            v = _mu * v + g;
            w -= _lr * (g + _mu * v);
        }
    }

    private readonly struct AdagradRule(float learningRate, float epsilon, float weightDecay) : IRule
    {
        private readonly Vector<float> _lr = new(learningRate), _eps = new(epsilon), _decay = new(weightDecay);

        public static int Slots => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> sum, ref Vector<float> unused)
        {
            g += _decay * w;
            sum += g * g;
            w -= _lr * g / (Vector.SquareRoot(sum) + _eps);
        }
    }

    private readonly struct RmsPropRule(float learningRate, float rho, float epsilon, float weightDecay) : IRule
    {
        private readonly Vector<float> _lr = new(learningRate), _rho = new(rho), _oneMinusRho = new(1f - rho),
            _eps = new(epsilon), _decay = new(weightDecay);

        public static int Slots => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> mean, ref Vector<float> unused)
        {
            g += _decay * w;
            mean = _rho * mean + _oneMinusRho * g * g;
            w -= _lr * g / (Vector.SquareRoot(mean) + _eps);
        }
    }

    private readonly struct AdaDeltaRule(float learningRate, float rho, float epsilon, float weightDecay) : IRule
    {
        private readonly Vector<float> _lr = new(learningRate), _rho = new(rho), _oneMinusRho = new(1f - rho),
            _eps = new(epsilon), _decay = new(weightDecay);

        public static int Slots => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> meanGradient, ref Vector<float> meanDelta)
        {
            g += _decay * w;
            meanGradient = _rho * meanGradient + _oneMinusRho * g * g;
            Vector<float> delta = Vector.SquareRoot(meanDelta + _eps) / Vector.SquareRoot(meanGradient + _eps) * g;
            meanDelta = _rho * meanDelta + _oneMinusRho * delta * delta;
            w -= _lr * delta;
        }
    }

    // Adam, AdamW and NAdam share one rule: NAdam adds the current gradient to the momentum term (Nesterov's
    // look-ahead), and Adam passes gradientStep = 0, which leaves its result exactly as without the term.
    private readonly struct AdamRule(float beta1, float beta2, float epsilon, float gradientStep, float momentumStep,
        float secondMomentScale, float weightDecay, float decoupledDecay) : IRule
    {
        private readonly Vector<float> _b1 = new(beta1), _oneMinusB1 = new(1f - beta1), _b2 = new(beta2), _oneMinusB2 = new(1f - beta2),
            _eps = new(epsilon), _gradientStep = new(gradientStep), _momentumStep = new(momentumStep),
            _scale = new(secondMomentScale), _decay = new(weightDecay), _decoupled = new(decoupledDecay);

        public static int Slots => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector<float> w, Vector<float> g, ref Vector<float> m, ref Vector<float> v)
        {
            g += _decay * w;
            m = _b1 * m + _oneMinusB1 * g;
            v = _b2 * v + _oneMinusB2 * g * g;
            // The decoupled decay is subtracted as lr*wd*w rather than folded into a factor (1 - lr*wd):
            // near 1 a float keeps only about 7 digits, which would round a small decay by up to a few per cent.
            w = w - _decoupled * w - (_gradientStep * g + _momentumStep * m) / (Vector.SquareRoot(v) * _scale + _eps);
        }
    }
}
