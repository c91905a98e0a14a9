namespace MLNetDeep.Bench.Tabular;

/// <summary>What a table's label asks for: the metric follows (accuracy for the classifications, RMSE for regression).</summary>
internal enum TabularTask
{
    /// <summary>Two classes: the label is true for <see cref="TabularSet.PositiveClass"/>.</summary>
    Binary,

    /// <summary>More than two classes: the label becomes a key.</summary>
    Multiclass,

    /// <summary>A number.</summary>
    Regression,
}
