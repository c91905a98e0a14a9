using System.Globalization;
using System.Numerics.Tensors;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Losses;

/// <summary>
/// Binary cross-entropy of sigmoid(z) against targets in [0, 1], one per output, averaged over
/// all outputs of the batch. Computed as max(z, 0) - z t + log(1 + e^-|z|), which never
/// overflows; the gradient with respect to z is (sigmoid(z) - t) / (batch * outputs). A sample's weight multiplies its terms.
/// With <see cref="LabelSmoothing"/> <c>e</c> the target is <c>t' = t (1 - e) + e / 2</c> (RealMLP, Holzmüller et al.
/// 2024, smooths binary targets so): loss max(z, 0) - z t' + log(1 + e^-|z|), gradient (sigmoid(z) - t') / (batch * outputs).
/// </summary>
public sealed class SigmoidBinaryCrossEntropy : Loss
{
    private const string SmoothedTagStart = nameof(SigmoidBinaryCrossEntropy) + "(smoothing ";

    /// <summary>
    /// Creates the loss; <paramref name="labelSmoothing"/> in [0, 1) pulls each target that much of the way towards 1/2
    /// (0, the default, is the plain cross-entropy, bit for bit). A smoothed loss keeps its smoothing in its tag
    /// (<see cref="ToString"/>), so a model file and a checkpoint record it; the predictions do not depend on it.
    /// </summary>
    public SigmoidBinaryCrossEntropy(float labelSmoothing = 0f)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1).");
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>How far each target is pulled towards 1/2, in [0, 1).</summary>
    public float LabelSmoothing { get; }

    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => outputSize;

    /// <inheritdoc/>
    public override float Compute(Tensor output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, Tensor? gradient)
    {
        CheckTargets(output, targets);
        CheckWeights(output, weights);
        var z = output.Span;
        int width = output.SampleSize;
        float keep = 1f - LabelSmoothing, half = LabelSmoothing / 2f;
        double total = 0;
        for (int i = 0; i < z.Length; i++)
        {
            float t = targets[i];
            if (!(t >= 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(targets), t, $"Target {i}: binary cross-entropy needs targets in [0, 1].");
            if (LabelSmoothing != 0f) t = t * keep + half;
            double zi = z[i];
            double term = Math.Max(zi, 0) - zi * t + Math.Log(1 + Math.Exp(-Math.Abs(zi)));
            total += weights.IsEmpty ? term : term * weights[i / width];
        }
        if (gradient is not null)
        {
            var g = gradient.Span;
            TensorPrimitives.Sigmoid(z, g);
            if (LabelSmoothing == 0f) TensorPrimitives.Subtract(g, targets, g);
            else
                for (int i = 0; i < g.Length; i++) g[i] -= targets[i] * keep + half;
            if (weights.IsEmpty) TensorPrimitives.Multiply(g, 1f / z.Length, g);
            else
                for (int r = 0; r < output.Batch; r++)
                    TensorPrimitives.Multiply(g.Slice(r * width, width), weights[r] / z.Length, g.Slice(r * width, width));
        }
        return (float)(total / z.Length);
    }

    /// <inheritdoc/>
    public override void Activate(Span<float> outputs, int batch, int width) => TensorPrimitives.Sigmoid(outputs, outputs);

    /// <inheritdoc/>
    public override int CountCorrect(Tensor output, ReadOnlySpan<float> targets)
    {
        CheckTargets(output, targets);
        // A sample is correct when every output is on the right side of 0 (probability 0.5).
        int correct = 0, width = output.SampleSize;
        for (int r = 0; r < output.Batch; r++)
        {
            var z = output.Row(r);
            bool all = true;
            for (int j = 0; j < width; j++) all &= (z[j] > 0) == (targets[r * width + j] > 0.5f);
            if (all) correct++;
        }
        return correct;
    }

    /// <summary>
    /// The tag in model files: the class name alone without smoothing (as every earlier version wrote it), else
    /// "SigmoidBinaryCrossEntropy(smoothing e)" with e written to round-trip.
    /// </summary>
    public override string ToString() => LabelSmoothing == 0f
        ? nameof(SigmoidBinaryCrossEntropy)
        : SmoothedTagStart + LabelSmoothing.ToString("R", CultureInfo.InvariantCulture) + ")";

    /// <summary>Reads a tag written by <see cref="ToString"/>; null when <paramref name="tag"/> is not one.</summary>
    internal static SigmoidBinaryCrossEntropy? FromTag(string tag)
    {
        if (tag == nameof(SigmoidBinaryCrossEntropy)) return new SigmoidBinaryCrossEntropy();
        if (!tag.StartsWith(SmoothedTagStart, StringComparison.Ordinal) || !tag.EndsWith(')')) return null;
        string value = tag[SmoothedTagStart.Length..^1];
        if (!float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float smoothing) || !(smoothing > 0 && smoothing < 1))
            throw new ArgumentException($"Loss '{tag}': the label smoothing must be a number in (0, 1).", nameof(tag));
        return new SigmoidBinaryCrossEntropy(smoothing);
    }
}
