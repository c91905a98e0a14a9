namespace MLNetDeep.Bench.Tabular;

/// <summary>
/// The fourth round's settings: one change each to <see cref="DeepNetOptions.ForTabular"/> as the third round left it
/// ("DeepNet recipe: ...", PBLD included; <see cref="ThirdRound"/>) or to the plain defaults, aimed at the binary tables, where the recipe overfits (Pima).
/// A number of steps ("N steps") sets the epochs that give about N gradient steps for a fold, as
/// <see cref="StepTargetVariants"/> does.
/// </summary>
internal static class RecipeVariants
{
    public static readonly Dictionary<string, (Func<DeepNetOptions> Make, int? Steps)> Variants = new()
    {
        ["DeepNet third recipe"] = (ThirdRound, null),
        ["DeepNet recipe: 300 steps"] = (ThirdRound, 300),
        ["DeepNet recipe: 600 steps"] = (ThirdRound, 600),
        ["DeepNet recipe: 1000 steps"] = (ThirdRound, 1000),
        ["DeepNet recipe: 1500 steps"] = (ThirdRound, 1500),
        ["DeepNet recipe: PBLD sigma 0.03"] = (() => Recipe(o => o.PeriodicEmbeddingSigma = 0.03f), null),
        ["DeepNet recipe: no PBLD"] = (() => Recipe(o => o.PeriodicEmbeddingSigma = null), null),
        ["DeepNet recipe: dropout 0.3"] = (() => Recipe(o => o.Dropout = 0.3f), null),
        ["DeepNet recipe: AdamW 1"] = (() => Recipe(o => o.WeightDecay = 1f), null),
        ["DeepNet recipe: dropout 0.3 + AdamW 1"] = (() => Recipe(o => { o.Dropout = 0.3f; o.WeightDecay = 1f; }), null),
        // The best epoch of a 10 % hold-out: the patience is the epochs' bound, so training runs its whole schedule and keeps the best.
        ["DeepNet recipe: best of 10% held out"] = (() => Recipe(o => { o.ValidationFraction = 0.1f; o.EarlyStoppingPatience = 300; }), null),
        ["DeepNet recipe: best of 20% held out"] = (() => Recipe(o => { o.ValidationFraction = 0.2f; o.EarlyStoppingPatience = 300; }), null),
        ["DeepNet recipe: best of 15% held out"] = (() => Recipe(o => HeldOut(o, 0.15f)), null),
        ["DeepNet recipe: best of 25% held out"] = (() => Recipe(o => HeldOut(o, 0.25f)), null),
        ["DeepNet recipe: best of 20% held out + PBLD sigma 0.03"] = (() => Recipe(o => { HeldOut(o, 0.2f); o.PeriodicEmbeddingSigma = 0.03f; }), null),
        ["DeepNet recipe: best of 20% held out + dropout 0.3"] = (() => Recipe(o => { HeldOut(o, 0.2f); o.Dropout = 0.3f; }), null),
        ["DeepNet recipe: best of 15% held out + dropout 0.3"] = (() => Recipe(o => { HeldOut(o, 0.15f); o.Dropout = 0.3f; }), null),
        ["DeepNet recipe: best of 20% held out + dropout 0.3 + 1000 steps"] = (() => Recipe(o => { HeldOut(o, 0.2f); o.Dropout = 0.3f; }), 1000),
        ["DeepNet recipe: best of 20% held out + no PBLD"] = (() => Recipe(o => { HeldOut(o, 0.2f); o.PeriodicEmbeddingSigma = null; }), null),
        ["DeepNet recipe: best of 20% held out + 1000 steps"] = (() => Recipe(o => HeldOut(o, 0.2f)), 1000),
        ["DeepNet recipe: best of 20% held out + patience 30"] = (() => Recipe(o => { HeldOut(o, 0.2f); o.EarlyStoppingPatience = 30; }), null),
        ["DeepNet plain: 250 steps"] = (() => new DeepNetOptions(), 250),
        ["DeepNet plain: best of 20% held out"] = (() => new DeepNetOptions { ValidationFraction = 0.2f, EarlyStoppingPatience = 300 }, null),
        ["DeepNet plain: 150 steps"] = (() => new DeepNetOptions(), 150),
        ["DeepNet plain: 200 steps"] = (() => new DeepNetOptions(), 200),
    };

    /// <summary>Holds <paramref name="fraction"/> of the rows out and keeps the best epoch of the whole schedule.</summary>
    private static void HeldOut(DeepNetOptions o, float fraction)
    {
        o.ValidationFraction = fraction;
        o.EarlyStoppingPatience = 300;
    }

    /// <summary><see cref="DeepNetOptions.ForTabular"/> without the fourth round's binary settings, which these variants chose.</summary>
    public static DeepNetOptions ThirdRound()
    {
        var options = DeepNetOptions.ForTabular();
        SuiteTrainers.ThirdRoundBinary(options);
        return options;
    }

    private static DeepNetOptions Recipe(Action<DeepNetOptions> change)
    {
        var options = ThirdRound();
        change(options);
        return options;
    }
}
