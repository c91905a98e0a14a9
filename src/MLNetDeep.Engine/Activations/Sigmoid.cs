using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Activations;

/// <summary>Logistic sigmoid, 1 / (1 + e^-x): the classic unit whose small derivative (at most 1/4) makes gradients vanish in deep stacks.</summary>
public sealed partial class Sigmoid : ActivationLayer, ILayerFormat<Sigmoid>
{
    static string ILayerFormat<Sigmoid>.FormatTag => nameof(Sigmoid);

    static int ILayerFormat<Sigmoid>.FormatVersion => 1;

    static Sigmoid ILayerFormat<Sigmoid>.ReadConfig(LayerReader reader, int version) => new();

    /// <inheritdoc/>
    protected override void Apply(ComputeContext compute, ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.Sigmoid(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ComputeContext compute, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => ActivationKernels.SigmoidBackward(y, dy, dx);

    /// <inheritdoc/>
    public override string ToString() => "Sigmoid";
}
