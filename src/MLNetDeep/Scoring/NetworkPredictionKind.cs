namespace MLNetDeep;

/// <summary>Which columns a <see cref="NetworkPredictionTransformer"/> appends, as ML.NET's scorer of that task would.</summary>
public enum NetworkPredictionKind
{
    /// <summary>PredictedLabel (key, with the label's key values) and Score (one float per class).</summary>
    MulticlassClassification = 0,

    /// <summary>PredictedLabel (bool, Score &gt; 0), Score (the network's logit) and Probability (its sigmoid).</summary>
    BinaryClassification = 1,

    /// <summary>Score (one float).</summary>
    Regression = 2,
}
