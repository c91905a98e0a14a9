using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>
/// Softmax over each sample's features. For training a classifier prefer
/// <see cref="Losses.SoftmaxCrossEntropy"/> on logits, which fuses the two stably;
/// this layer is for networks whose output must be probabilities.
/// </summary>
public sealed partial class Softmax : ActivationLayer
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Softmax(x, y, x.Length / InputShape.Size, InputShape.Size);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        ActivationKernels.SoftmaxBackward(y, dy, dx, y.Length / InputShape.Size, InputShape.Size);

    /// <inheritdoc/>
    public override string ToString() => "Softmax";
}
