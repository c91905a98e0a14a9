namespace MLNetDeep;

// What ForTabular() set, kept so that each task can take the recipe's own value for it (a regression, a binary task)
// while a value set by hand stays as set.
public sealed partial class DeepNetOptions
{
    /// <summary>
    /// The label smoothing <see cref="ForTabular"/> set (null on options made otherwise): a regression, which has no
    /// classes to smooth, leaves it out while <see cref="LabelSmoothing"/> still holds it, and refuses any other value.
    /// </summary>
    internal float? RecipeLabelSmoothing { get; set; }

    /// <summary>
    /// The gradient steps <see cref="ForTabular"/> scales its epochs to (null on options made otherwise, which take their
    /// task's; <see cref="TabularDefaults.TargetStepsFor"/>); read only when <see cref="Epochs"/> is null.
    /// </summary>
    internal int? RecipeTargetSteps { get; set; }

    /// <summary>The <see cref="PeriodicEmbeddingSigma"/> <see cref="ForTabular"/> set (null on options made otherwise): a regression takes it as <see cref="TabularDefaults.RegressionEmbeddingSigma"/>.</summary>
    internal float? RecipeEmbeddingSigma { get; set; }

    /// <summary>The <see cref="Dropout"/> <see cref="ForTabular"/> set (null on options made otherwise): a binary task takes it as <see cref="TabularDefaults.BinaryDropout"/>.</summary>
    internal float? RecipeDropout { get; set; }

    /// <summary>
    /// True on <see cref="ForTabular"/>'s options: a binary task that leaves <see cref="ValidationFraction"/> and
    /// <see cref="EarlyStoppingPatience"/> at 0 keeps the best epoch of a held-out fifth (<see cref="TabularDefaults.KeepBestBinaryEpoch"/>).
    /// </summary>
    internal bool RecipeKeepsBestBinaryEpoch { get; set; }
}
