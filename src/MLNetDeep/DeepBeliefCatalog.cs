using Microsoft.ML;
using MLNetDeep.Engine.Pretraining;

namespace MLNetDeep;

/// <summary>DeepBeliefFeatures on ML.NET's transforms catalog: <c>mlContext.Transforms.DeepBeliefFeatures(...)</c>.</summary>
public static class DeepBeliefCatalog
{
    /// <summary>
    /// Learns features without labels: a deep belief network, pre-trained greedily (one RBM per entry of
    /// <paramref name="hiddenLayerSizes"/>, each on the hidden probabilities of the one below), whose top
    /// layer's hidden probabilities become <paramref name="outputColumnName"/>, a vector of
    /// <c>hiddenLayerSizes[^1]</c> Single. Scale the input to [0, 1] first (NormalizeMinMax), or standardise
    /// it (NormalizeMeanVariance) and set <see cref="PretrainingOptions.GaussianVisible"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The appended feature vector.</param>
    /// <param name="inputColumnName">The input: a known-size vector of Single; null for <paramref name="outputColumnName"/>.</param>
    /// <param name="hiddenLayerSizes">The hidden units of each RBM, input side first; null for [256].</param>
    /// <param name="options">How each RBM is trained (epochs, CD steps, learning rate...); null for the defaults.</param>
    /// <returns>The estimator.</returns>
    public static DeepBeliefFeaturesEstimator DeepBeliefFeatures(this TransformsCatalog catalog, string outputColumnName,
        string? inputColumnName = null, int[]? hiddenLayerSizes = null, PretrainingOptions? options = null) =>
        new(Internal.CatalogEnvironment.Of(catalog), outputColumnName, inputColumnName ?? outputColumnName,
            hiddenLayerSizes ?? [256], options ?? new PretrainingOptions());
}
