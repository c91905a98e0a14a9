using System.Numerics.Tensors;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Pretraining;

/// <summary>
/// An RBM with real-valued Gaussian visible units of unit variance and binary hidden units, for
/// standardised real inputs (each feature scaled to zero mean and unit variance; Hinton 2010, §13.2).
/// Energy <c>E(v, h) = Σ_i (v_i - b_i)²/2 - c·h - hᵀWv</c>, so <c>p(v | h) = N(b + Wᵀh, 1)</c> and the
/// free energy is <c>F(v) = Σ_i (v_i - b_i)²/2 - Σ_j softplus(c_j + W_j·v)</c>. Reconstructions use
/// the mean <c>b + Wᵀh</c>. Learning is less stable than with binary units: use a learning rate one or
/// two orders of magnitude smaller.
/// </summary>
public sealed class GaussianBernoulliRbm : Rbm
{
    /// <summary>Creates the machine with weights drawn from N(0, 0.01²) by a generator seeded with <paramref name="seed"/>, biases 0.</summary>
    public GaussianBernoulliRbm(int visibleCount, int hiddenCount, ulong seed = 1)
        : this(visibleCount, hiddenCount, new Rng(seed)) { }

    internal GaussianBernoulliRbm(int visibleCount, int hiddenCount, Rng rng)
        : base(visibleCount, hiddenCount, rng) { }

    private protected override void ActivateVisible(Span<float> values)
    {
        // Identity: the mean of N(b + Wᵀh, 1) is the pre-activation itself.
    }

    private protected override float VisibleEnergy(ReadOnlySpan<float> visible, Span<float> scratch)
    {
        TensorPrimitives.Subtract(visible, VisibleBias.Value, scratch);
        return 0.5f * TensorPrimitives.SumOfSquares<float>(scratch);
    }
}
