using System.Numerics.Tensors;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Losses;

/// <summary>
/// Binary cross-entropy of sigmoid(z) against targets in [0, 1], one per output, averaged over
/// all outputs of the batch. Computed as max(z, 0) - z t + log(1 + e^-|z|), which never
/// overflows; the gradient with respect to z is (sigmoid(z) - t) / (batch * outputs). A sample's weight multiplies its terms.
/// </summary>
public sealed class SigmoidBinaryCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => outputSize;

    /// <inheritdoc/>
    public override float Compute(Tensor output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, Tensor? gradient)
    {
        CheckTargets(output, targets);
        CheckWeights(output, weights);
        var z = output.Span;
        int width = output.SampleSize;
        double total = 0;
        for (int i = 0; i < z.Length; i++)
        {
            float t = targets[i];
            if (!(t >= 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(targets), t, $"Target {i}: binary cross-entropy needs targets in [0, 1].");
            double zi = z[i];
            double term = Math.Max(zi, 0) - zi * t + Math.Log(1 + Math.Exp(-Math.Abs(zi)));
            total += weights.IsEmpty ? term : term * weights[i / width];
        }
        if (gradient is not null)
        {
            var g = gradient.Span;
            TensorPrimitives.Sigmoid(z, g);
            TensorPrimitives.Subtract(g, targets, g);
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

    /// <inheritdoc/>
    public override string ToString() => nameof(SigmoidBinaryCrossEntropy);
}
