using System.Numerics.Tensors;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Losses;

/// <summary>
/// Mean of (output - target)² over all outputs of the batch; the gradient is
/// 2 (output - target) / (batch * outputs).
/// </summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override int TargetSize(int outputSize) => outputSize;

    /// <inheritdoc/>
    public override float Compute(Tensor output, ReadOnlySpan<float> targets, Tensor? gradient)
    {
        CheckTargets(output, targets);
        var z = output.Span;
        double total = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double d = (double)z[i] - targets[i];
            total += d * d;
        }
        if (gradient is not null)
        {
            var g = gradient.Span;
            TensorPrimitives.Subtract(z, targets, g);
            TensorPrimitives.Multiply(g, 2f / z.Length, g);
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
