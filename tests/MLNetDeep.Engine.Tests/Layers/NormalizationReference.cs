namespace MLNetDeep.Engine.Tests.Layers;

/// <summary>
/// Normalisation written the obvious way in double precision, as the reference for BatchNorm and LayerNorm: the
/// forward pass from its definition, the backward pass from the Jacobian of x̂ = (x - μ) / σ written out element by
/// element (∂x̂_j/∂x_i = (δ_ij - 1/M) / σ - x̂_i x̂_j / (M σ)), not from the closed form the layers use.
/// </summary>
internal static class NormalizationReference
{
    /// <summary>
    /// Normalises each group of <paramref name="x"/> (a list of indices, M = its length) with its biased variance:
    /// y = γ x̂ + β, and dL/dx for upstream <paramref name="dy"/>, where group g's values all share γ[gammaIndex(i)].
    /// Also gives each group's mean and biased variance.
    /// </summary>
    public static (double[] Y, double[] Dx, double[] Mean, double[] Variance) Normalize(float[] x, float[] dy, int[][] groups,
        Func<int, int, double> gamma, Func<int, int, double> beta, double epsilon)
    {
        var y = new double[x.Length];
        var dx = new double[x.Length];
        var means = new double[groups.Length];
        var variances = new double[groups.Length];
        for (int g = 0; g < groups.Length; g++)
        {
            var idx = groups[g];
            int m = idx.Length;
            double mean = idx.Average(i => (double)x[i]);
            double variance = idx.Sum(i => (x[i] - mean) * (x[i] - mean)) / m;
            double sigma = Math.Sqrt(variance + epsilon);
            var xhat = idx.Select(i => (x[i] - mean) / sigma).ToArray();
            for (int a = 0; a < m; a++) y[idx[a]] = gamma(g, idx[a]) * xhat[a] + beta(g, idx[a]);
            for (int a = 0; a < m; a++)
            {
                double sum = 0;
                for (int b = 0; b < m; b++)
                {
                    double jacobian = ((a == b ? 1 : 0) - 1.0 / m) / sigma - xhat[a] * xhat[b] / (m * sigma);
                    sum += dy[idx[b]] * gamma(g, idx[b]) * jacobian;
                }
                dx[idx[a]] = sum;
            }
            means[g] = mean;
            variances[g] = variance;
        }
        return (y, dx, means, variances);
    }

    /// <summary>Asserts |actual - expected| ≤ tolerance · max(1, |expected|) element by element.</summary>
    public static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: {actual[i]:R}, the reference gives {expected[i]:R}.");
    }
}
