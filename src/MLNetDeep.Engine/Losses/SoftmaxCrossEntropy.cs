using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Losses;

/// <summary>
/// Cross-entropy of softmax(logits) against a class index per sample, averaged over the batch:
/// loss = log Σ e^z - z[label], computed with the log-sum-exp shift so large logits never overflow.
/// The gradient with respect to the logits is (softmax(z) - onehot(label)) / batch. A sample's weight multiplies its term.
/// With <see cref="LabelSmoothing"/> <c>e</c> (Szegedy et al. 2016; PyTorch's <c>label_smoothing</c>) the target is
/// <c>q = (1 - e) onehot(label) + e / K</c> over the K classes: loss = log Σ e^z - Σ q_j z_j, gradient (softmax(z) - q) / batch.
/// </summary>
public sealed class SoftmaxCrossEntropy : Loss
{
    /// <summary>
    /// Creates the loss; <paramref name="labelSmoothing"/> in [0, 1) moves that much of each target's mass from the
    /// label to all K classes evenly (0, the default, is the plain cross-entropy, bit for bit). Smoothing is a setting
    /// of training only: the tag in model files (<see cref="ToString"/>) and the predictions do not depend on it.
    /// </summary>
    public SoftmaxCrossEntropy(float labelSmoothing = 0f)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1).");
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The share of each target moved from the label to every class evenly, in [0, 1).</summary>
    public float LabelSmoothing { get; }

    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => 1;

    /// <inheritdoc/>
    public override float Compute(Tensor output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, Tensor? gradient)
    {
        CheckTargets(output, targets);
        CheckWeights(output, weights);
        int batch = output.Batch, width = output.SampleSize;
        double total = 0;
        // The shifted exponentials, computed once: the gradient's softmax divides them by their sum, and the loss takes
        // the log of that sum. Without a gradient they go to a scratch row.
        float[]? scratch = gradient is null && width > 256 ? new float[width] : null;
        Span<float> scratchRow = gradient is not null ? default : scratch ?? stackalloc float[width];
        for (int r = 0; r < batch; r++)
        {
            var z = output.Row(r);
            int label = Label(targets[r], width, r);
            var e = gradient is not null ? gradient.Row(r) : scratchRow;
            // The softmax's own first half (ActivationKernels.Softmax finishes it with the same division below).
            float sumExp = ActivationKernels.ShiftedExp(z, e, out float max);
            double sampleLoss = LabelSmoothing == 0f
                ? Math.Log(sumExp) + max - z[label]
                : Math.Log(sumExp) + max - (1.0 - LabelSmoothing) * z[label] - LabelSmoothing / (double)width * Sum(z);
            total += weights.IsEmpty ? sampleLoss : sampleLoss * weights[r];
            if (gradient is not null)
            {
                TensorPrimitives.Divide(e, sumExp, e);
                if (LabelSmoothing == 0f) e[label] -= 1f;
                else
                {
                    float spread = LabelSmoothing / width;
                    TensorPrimitives.Subtract(e, spread, e);
                    e[label] -= 1f - LabelSmoothing;
                }
                TensorPrimitives.Multiply(e, WeightOf(weights, r) / batch, e);
            }
        }
        return (float)(total / batch);
    }

    /// <inheritdoc/>
    public override void Activate(Span<float> outputs, int batch, int width) => ActivationKernels.Softmax(outputs, outputs, batch, width);

    /// <inheritdoc/>
    public override int CountCorrect(Tensor output, ReadOnlySpan<float> targets)
    {
        CheckTargets(output, targets);
        int correct = 0;
        for (int r = 0; r < output.Batch; r++)
            if (TensorPrimitives.IndexOfMax(output.Row(r)) == Label(targets[r], output.SampleSize, r)) correct++;
        return correct;
    }

    private static double Sum(ReadOnlySpan<float> z)
    {
        double sum = 0;
        foreach (float v in z) sum += v;
        return sum;
    }

    private static int Label(float target, int classes, int row)
    {
        int label = (int)target;
        if (label != target || label < 0 || label >= classes)
            throw new ArgumentOutOfRangeException("targets", target, $"Sample {row}: the label must be a class index in 0..{classes - 1}.");
        return label;
    }

    /// <inheritdoc/>
    public override string ToString() => nameof(SoftmaxCrossEntropy);
}
