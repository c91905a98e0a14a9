using System.Numerics.Tensors;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Losses;

/// <summary>
/// Binary cross-entropy of sigmoid(z) against targets in [0, 1], one per output, averaged over
/// all outputs of the batch. Computed as max(z, 0) - z t + log(1 + e^-|z|), which never
/// overflows; the gradient with respect to z is (sigmoid(z) - t) / (batch * outputs).
/// </summary>
public sealed class SigmoidBinaryCrossEntropy : Loss
{
    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => outputSize;

    /// <inheritdoc/>
    public override float Compute(Tensor output, ReadOnlySpan<float> targets, Tensor? gradient)
    {
        CheckTargets(output, targets);
        var z = output.Span;
        double total = 0;
        float scale = 1f / z.Length;
        for (int i = 0; i < z.Length; i++)
        {
            float t = targets[i];
            if (!(t >= 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(targets), t, $"Target {i}: binary cross-entropy needs targets in [0, 1].");
            double zi = z[i];
            total += Math.Max(zi, 0) - zi * t + Math.Log(1 + Math.Exp(-Math.Abs(zi)));
        }
        if (gradient is not null)
        {
            var g = gradient.Span;
            TensorPrimitives.Sigmoid(z, g);
            TensorPrimitives.Subtract(g, targets, g);
            TensorPrimitives.Multiply(g, scale, g);
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
