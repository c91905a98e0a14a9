using System.Numerics.Tensors;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Losses;

/// <summary>
/// Mean of (output - target)² over all outputs of the batch; the gradient is
/// 2 (output - target) / (batch * outputs). A sample's weight multiplies its terms.
/// </summary>
public sealed class MeanSquaredError : Loss
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
        // One running sum over every output, as before weights existed: unweighted, the bits are the same.
        for (int i = 0; i < z.Length; i++)
        {
            double d = (double)z[i] - targets[i];
            total += weights.IsEmpty ? d * d : d * d * weights[i / width];
        }
        if (gradient is not null)
        {
            var g = gradient.Span;
            TensorPrimitives.Subtract(z, targets, g);
            if (weights.IsEmpty) TensorPrimitives.Multiply(g, 2f / z.Length, g);
            else
                for (int r = 0; r < output.Batch; r++)
                    TensorPrimitives.Multiply(g.Slice(r * width, width), 2f * weights[r] / z.Length, g.Slice(r * width, width));
        }
        return (float)(total / z.Length);
    }

    /// <inheritdoc/>
    public override void Activate(Span<float> outputs, int batch, int width) { }

    /// <inheritdoc/>
    public override int CountCorrect(Tensor output, ReadOnlySpan<float> targets) => -1;

    /// <inheritdoc/>
    public override string ToString() => nameof(MeanSquaredError);
}
