using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Pretraining;

/// <summary>
/// An RBM with binary (Bernoulli) visible and hidden units, for inputs in [0, 1] such as pixel
/// intensities read as probabilities (Hinton 2010, §3.2). Energy
/// <c>E(v, h) = -b·v - c·h - hᵀWv</c>, so <c>p(v_i = 1 | h) = sigmoid(b_i + Σ_j h_j W_ji)</c> and
/// the free energy is <c>F(v) = -b·v - Σ_j softplus(c_j + W_j·v)</c>.
/// </summary>
public sealed class BernoulliRbm : Rbm
{
    /// <summary>Creates the machine with weights drawn from N(0, 0.01²) by a generator seeded with <paramref name="seed"/>, biases 0.</summary>
    public BernoulliRbm(int visibleCount, int hiddenCount, ulong seed = 1)
        : this(visibleCount, hiddenCount, new Rng(seed)) { }

    internal BernoulliRbm(int visibleCount, int hiddenCount, Rng rng)
        : base(visibleCount, hiddenCount, rng) { }

    private protected override void ActivateVisible(Span<float> values) => ActivationKernels.Sigmoid(values, values);

    private protected override float VisibleEnergy(ReadOnlySpan<float> visible, Span<float> scratch) =>
        -TensorPrimitives.Dot(visible, VisibleBias.Value);
}
