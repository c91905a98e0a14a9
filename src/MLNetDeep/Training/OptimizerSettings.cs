using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Training;

/// <summary>
/// Makes the optimizer <see cref="DeepNetOptions"/> asks for, with its own settings (betas, epsilon, momentum, rho,
/// AdamW's decoupled decay) where they are given, and refuses a setting the chosen optimizer does not read, so that
/// a value set for one optimizer is never silently ignored by another.
/// </summary>
internal static class OptimizerSettings
{
    private static readonly OptimizerKind[] AdamFamily = [OptimizerKind.Adam, OptimizerKind.AdamW, OptimizerKind.NAdam];
    private static readonly OptimizerKind[] WithEpsilon = [OptimizerKind.Adagrad, OptimizerKind.RmsProp, OptimizerKind.AdaDelta, .. AdamFamily];
    private static readonly OptimizerKind[] WithMomentum = [OptimizerKind.Momentum, OptimizerKind.Nesterov];
    private static readonly OptimizerKind[] WithRho = [OptimizerKind.RmsProp, OptimizerKind.AdaDelta];

    /// <summary>AdamW's decoupled weight decay when neither <see cref="DeepNetOptions.WeightDecay"/> nor <see cref="DeepNetOptions.L2"/> sets it: PyTorch's default.</summary>
    public const float AdamWDefaultWeightDecay = 0.01f;

    /// <summary>
    /// The optimizer of <paramref name="options"/>. Throws <see cref="ArgumentOutOfRangeException"/> naming the option
    /// (<c>Beta1</c>, <c>Momentum</c>, ...) that the optimizer does not read or whose value is out of its range.
    /// </summary>
    public static Optimizer Create(DeepNetOptions options)
    {
        var kind = options.Optimizer;
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.Optimizer), kind, $"{kind} is not an {nameof(OptimizerKind)}.");
        Refuse(options.Beta1, nameof(DeepNetOptions.Beta1), kind, AdamFamily);
        Refuse(options.Beta2, nameof(DeepNetOptions.Beta2), kind, AdamFamily);
        Refuse(options.Epsilon, nameof(DeepNetOptions.Epsilon), kind, WithEpsilon);
        Refuse(options.Momentum, nameof(DeepNetOptions.Momentum), kind, WithMomentum);
        Refuse(options.Rho, nameof(DeepNetOptions.Rho), kind, WithRho);
        Refuse(options.WeightDecay, nameof(DeepNetOptions.WeightDecay), kind, [OptimizerKind.AdamW],
            " L2 is the coupled weight decay every optimizer reads.");
        if (kind == OptimizerKind.AdamW && options.WeightDecay is not null && options.L2 > 0)
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.WeightDecay), options.WeightDecay,
                $"AdamW was given both WeightDecay ({options.WeightDecay}) and L2 ({options.L2}), which both set its decoupled decay; set only WeightDecay.");

        var optimizer = Optimizer.Create(kind, options.LearningRate);
        switch (optimizer)
        {
            case Adam adam:
                Set(options.Beta1, v => adam.Beta1 = v, nameof(DeepNetOptions.Beta1));
                Set(options.Beta2, v => adam.Beta2 = v, nameof(DeepNetOptions.Beta2));
                Set(options.Epsilon, v => adam.Epsilon = v, nameof(DeepNetOptions.Epsilon));
                break;
            case Momentum momentum:
                Set(options.Momentum, v => momentum.Mu = v, nameof(DeepNetOptions.Momentum));
                break;
            case RmsProp rmsProp:
                Set(options.Rho, v => rmsProp.Rho = v, nameof(DeepNetOptions.Rho));
                Set(options.Epsilon, v => rmsProp.Epsilon = v, nameof(DeepNetOptions.Epsilon));
                break;
            case AdaDelta adaDelta:
                Set(options.Rho, v => adaDelta.Rho = v, nameof(DeepNetOptions.Rho));
                Set(options.Epsilon, v => adaDelta.Epsilon = v, nameof(DeepNetOptions.Epsilon));
                break;
            case Adagrad adagrad:
                Set(options.Epsilon, v => adagrad.Epsilon = v, nameof(DeepNetOptions.Epsilon));
                break;
        }

        // Coupled L2 for every optimizer but AdamW, whose decay is decoupled: WeightDecay, else L2 as before, else PyTorch's 0.01.
        float decay = kind == OptimizerKind.AdamW
            ? options.WeightDecay ?? (options.L2 > 0 ? options.L2 : AdamWDefaultWeightDecay)
            : options.L2;
        Set(decay, v => optimizer.WeightDecay = v, kind == OptimizerKind.AdamW && options.WeightDecay is not null ? nameof(DeepNetOptions.WeightDecay) : nameof(DeepNetOptions.L2));
        return optimizer;
    }

    private static void Refuse(float? value, string name, OptimizerKind kind, OptimizerKind[] readers, string hint = "")
    {
        if (value is not null && Array.IndexOf(readers, kind) < 0)
            throw new ArgumentOutOfRangeException(name, value,
                $"{name} is a setting of {string.Join(", ", readers)}; the {kind} optimizer does not read it. Unset it (null) or choose one of those optimizers.{hint}");
    }

    /// <summary>Sets a value through the optimizer's own range check, naming the option rather than the optimizer's property.</summary>
    private static void Set(float? value, Action<float> set, string name)
    {
        if (value is not float v) return;
        try { set(v); }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentOutOfRangeException(name, v, $"{name}: {e.Message.Split(" (Parameter")[0]}");
        }
    }
}
