namespace MLNetDeep;

/// <summary>
/// How a DeepNet network scales its features before its first layer: centres and scales fitted on the training
/// rows, kept in the model (a FeatureScaling layer), applied to every row it scores and exported with it to ONNX.
/// </summary>
public enum InputScaling
{
    /// <summary>None: the features enter the network as the pipeline gives them.</summary>
    Off,

    /// <summary>Each feature minus its mean, over its standard deviation.</summary>
    Standardize,

    /// <summary>
    /// Each feature minus its median, over its interquartile range, then smoothly clipped to (-3, 3) by
    /// z / sqrt(1 + (z/3)²), as RealMLP (Holzmüller, Grinsztajn and Steinwart 2024): outliers and heavy tails stay bounded.
    /// </summary>
    RobustClipped,
}
