using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// The centre and scale a <see cref="FeatureScaling"/> layer takes, computed from a data set's features or targets
/// (in double precision, so the figures do not depend on the order of the rows beyond rounding to float).
/// </summary>
public static class FeatureStatistics
{
    /// <summary>
    /// Standardisation: each feature's mean and 1 / standard deviation (population); a constant feature gets scale 0,
    /// as it carries nothing the training rows could teach.
    /// </summary>
    public static (float[] Centre, float[] Scale) Standardize(Dataset data)
    {
        CheckNotEmpty(data);
        int n = data.SampleShape.Size;
        var (mean, squares) = (new double[n], new double[n]);
        var (features, targets) = (new float[n], new float[data.TargetSize]);
        for (int i = 0; i < data.Count; i++)
        {
            data.Read(i, features, targets);
            for (int j = 0; j < n; j++) mean[j] += features[j];
        }
        for (int j = 0; j < n; j++) mean[j] /= data.Count;
        for (int i = 0; i < data.Count; i++)
        {
            data.Read(i, features, targets);
            for (int j = 0; j < n; j++) squares[j] += (features[j] - mean[j]) * (features[j] - mean[j]);
        }
        return ([.. mean.Select(m => (float)m)], [.. squares.Select(q => InverseOrZero(Math.Sqrt(q / data.Count)))]);
    }

    /// <summary>
    /// Robust scaling: each feature's median and 1 / interquartile range (quantiles interpolated linearly, as
    /// scikit-learn's RobustScaler); where the quartiles meet (a feature mostly one value, such as a rare one-hot
    /// indicator), 2 / (max - min); a constant feature gets scale 0. Meant to be followed by smooth clipping, which
    /// bounds what the quartiles leave far out. Of more than <see cref="MaxRobustRows"/> samples, that many evenly
    /// spaced ones are taken; the columns are sorted <see cref="ColumnsAtOnce"/> at a time, so memory stays small.
    /// </summary>
    public static (float[] Centre, float[] Scale) Robust(Dataset data)
    {
        CheckNotEmpty(data);
        int n = data.SampleShape.Size;
        int rows = Math.Min(data.Count, MaxRobustRows);
        var centre = new float[n];
        var scale = new float[n];
        var (features, targets) = (new float[n], new float[data.TargetSize]);
        for (int start = 0; start < n; start += ColumnsAtOnce)
        {
            int width = Math.Min(ColumnsAtOnce, n - start);
            var columns = new float[width][];
            for (int j = 0; j < width; j++) columns[j] = new float[rows];
            for (int k = 0; k < rows; k++)
            {
                data.Read((int)((long)k * data.Count / rows), features, targets);
                for (int j = 0; j < width; j++) columns[j][k] = features[start + j];
            }
            for (int j = 0; j < width; j++)
            {
                var c = columns[j];
                Array.Sort(c);
                centre[start + j] = (float)Quantile(c, 0.5);
                double iqr = Quantile(c, 0.75) - Quantile(c, 0.25);
                double range = (double)c[^1] - c[0];
                scale[start + j] = iqr > 0 ? (float)(1 / iqr) : range > 0 ? (float)(2 / range) : 0f;
            }
        }
        return (centre, scale);
    }

    /// <summary>The samples robust scaling sorts at most.</summary>
    public const int MaxRobustRows = 1 << 17;

    /// <summary>The columns robust scaling holds at once.</summary>
    public const int ColumnsAtOnce = 64;

    /// <summary>The mean and standard deviation (population) of the first target of every sample; 1 when the targets are all equal.</summary>
    public static (double Mean, double StandardDeviation) Targets(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("The data set has no samples to take statistics of.", nameof(data));
        var values = new double[data.Count];
        Span<float> target = stackalloc float[data.TargetSize];
        for (int i = 0; i < data.Count; i++)
        {
            data.ReadTargets(i, target);
            values[i] = target[0];
        }
        double sd = StandardDeviation(values);
        return (values.Average(), sd > 0 ? sd : 1);
    }

    private static void CheckNotEmpty(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("The data set has no samples to take statistics of.", nameof(data));
    }

    private static double StandardDeviation(double[] values)
    {
        double mean = values.Average();
        double sum = 0;
        foreach (double v in values) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / values.Length);
    }

    private static float InverseOrZero(double value) => value > 0 ? (float)(1 / value) : 0f;

    private static double Quantile(float[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * ((double)sorted[above] - sorted[below]);
    }
}
