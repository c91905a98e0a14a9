namespace MLNetDeep;

/// <summary>Which columns a <see cref="NetworkPredictionTransformer"/> appends: those ML.NET's scorer of a task would, or a feature vector.</summary>
public enum NetworkPredictionKind
{
    /// <summary>PredictedLabel (key, with the label's key values) and Score (one float per class).</summary>
    MulticlassClassification = 0,

    /// <summary>PredictedLabel (bool, Score &gt; 0), Score (the network's logit) and Probability (its sigmoid).</summary>
    BinaryClassification = 1,

    /// <summary>Score (one float).</summary>
    Regression = 2,

    /// <summary>
    /// One known-size vector of Single holding every output, named by the estimator and with no score
    /// annotations: learned features for the next step of a pipeline (see <c>DeepBeliefFeatures</c>).
    /// </summary>
    FeatureExtraction = 3,
}
