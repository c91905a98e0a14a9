using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Bench.Tabular;

/// <summary>
/// DeepNet settings that need the number of training rows: a target number of gradient steps instead of the
/// default's 3,000 (the epochs that give it for a fold of 4/5 of the rows, within the default's 10 to 300 epochs).
/// The binary tables overfit 3,000 steps; these variants measure fewer.
/// </summary>
internal static class StepTargetVariants
{
    /// <summary>The default's bounds on the epochs it scales to the rows.</summary>
    private const int MinEpochs = 10, MaxEpochs = 300;

    public static readonly Dictionary<string, (Func<DeepNetOptions> Make, int Steps)> Variants = new()
    {
        ["DeepNet tabular: label smoothing + 1000 steps"] = (() => Tabular(o => o.LabelSmoothing = 0.1f), 1000),
        ["DeepNet tabular: AdamW 0.1 + label smoothing + 1000 steps"] = (() => Tabular(AdamWSmoothed), 1000),
        ["DeepNet tabular: AdamW 0.1 + label smoothing + 300 steps"] = (() => Tabular(AdamWSmoothed), 300),
        ["DeepNet tabular: AdamW 0.3 + label smoothing + 1000 steps"] = (() => Tabular(o => { AdamWSmoothed(o); o.WeightDecay = 0.3f; }), 1000),
        ["DeepNet tabular: dropout 0.2 + AdamW 0.3 + label smoothing + 300 steps"] = (() => Tabular(o => { AdamWSmoothed(o); o.WeightDecay = 0.3f; o.Dropout = 0.2f; }), 300),
        ["DeepNet tabular: dropout 0.2 + AdamW 0.3 + label smoothing + 600 steps"] = (() => Tabular(o => { AdamWSmoothed(o); o.WeightDecay = 0.3f; o.Dropout = 0.2f; }), 600),
        ["DeepNet plain: 300 steps"] = (() => new DeepNetOptions(), 300),
        ["DeepNet plain: 1000 steps"] = (() => new DeepNetOptions(), 1000),
        ["DeepNet plain: label smoothing + 1000 steps"] = (() => new DeepNetOptions { LabelSmoothing = 0.1f }, 1000),
    };

    /// <summary>The options of variant <paramref name="name"/> for a table of <paramref name="rows"/> rows, or null when it is not one of these.</summary>
    public static DeepNetOptions? For(string name, int rows)
    {
        if (RecipeVariants.Variants.TryGetValue(name, out var recipe))
            return recipe.Steps is { } steps ? WithSteps(name, recipe.Make(), steps, rows) : recipe.Make();
        if (!Variants.TryGetValue(name, out var variant)) return null;
        return WithSteps(name, variant.Make(), variant.Steps, rows);
    }

    /// <summary><paramref name="options"/> with the epochs that give about <paramref name="steps"/> steps for a fold of a table of <paramref name="rows"/> rows.</summary>
    private static DeepNetOptions WithSteps(string name, DeepNetOptions options, int steps, int rows)
    {
        int batch = options.BatchSize ?? throw new InvalidOperationException($"Variant '{name}' needs a fixed batch size to count its steps.");
        long trainingRows = rows * (CrossValidation.Folds - 1L) / CrossValidation.Folds;
        long stepsPerEpoch = Math.Max(1, (trainingRows + batch - 1) / batch);
        options.Epochs = (int)Math.Clamp((steps + stepsPerEpoch - 1) / stepsPerEpoch, MinEpochs, MaxEpochs);
        return options;
    }

    private static void AdamWSmoothed(DeepNetOptions o)
    {
        o.Optimizer = OptimizerKind.AdamW;
        o.WeightDecay = 0.1f;
        o.LabelSmoothing = 0.1f;
    }

    private static DeepNetOptions Tabular(Action<DeepNetOptions> change)
    {
        var options = SuiteTrainers.FirstRecipe();
        change(options);
        return options;
    }
}
