using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Losses;

/// <summary>
/// Cross-entropy of softmax(logits) against a class index per sample, averaged over the batch:
/// loss = log Σ e^z - z[label], computed with the log-sum-exp shift so large logits never overflow.
/// The gradient with respect to the logits is (softmax(z) - onehot(label)) / batch. A sample's weight multiplies its term.
/// </summary>
public sealed class SoftmaxCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => 1;

    /// <inheritdoc/>
    public override float Compute(Tensor output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, Tensor? gradient)
    {
        CheckTargets(output, targets);
        CheckWeights(output, weights);
        int batch = output.Batch, width = output.SampleSize;
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            var z = output.Row(r);
            int label = Label(targets[r], width, r);
            float max = TensorPrimitives.Max(z);
            double sumExp = 0;
            for (int j = 0; j < z.Length; j++) sumExp += Math.Exp(z[j] - max);
            double sampleLoss = Math.Log(sumExp) + max - z[label];
            total += weights.IsEmpty ? sampleLoss : sampleLoss * weights[r];
            if (gradient is not null)
            {
                var g = gradient.Row(r);
                ActivationKernels.Softmax(z, g, 1, width);
                g[label] -= 1f;
                TensorPrimitives.Multiply(g, WeightOf(weights, r) / batch, g);
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
