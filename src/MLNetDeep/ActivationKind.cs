namespace MLNetDeep;

/// <summary>The hidden-unit activations a <see cref="DeepNetOptions"/> network can use.</summary>
public enum ActivationKind
{
    /// <summary>Rectified linear unit, max(0, x): the default, trains deep stacks well.</summary>
    ReLU,
    /// <summary>Logistic sigmoid: the classic unit; gradients vanish in deep stacks.</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Leaky ReLU, max(alpha x, x), with <see cref="DeepNetOptions.LeakyReluAlpha"/>.</summary>
    LeakyReLU,
    /// <summary>Exponential linear unit with <see cref="DeepNetOptions.EluAlpha"/>.</summary>
    ELU,
    /// <summary>Maxout over <see cref="DeepNetOptions.MaxoutPieces"/> linear pieces per unit.</summary>
    Maxout,
    /// <summary>No activation: a linear layer.</summary>
    Identity,
    /// <summary>Gaussian error linear unit, x Φ(x) with Φ the normal distribution function (exact, with erf): the transformers' unit.</summary>
    GELU,
    /// <summary>Sigmoid linear unit (Swish), x σ(x): smooth, non-monotonic, Keras's "swish" and PyTorch's SiLU.</summary>
    SiLU,
    /// <summary>Scaled ELU with the published constants (λ ≈ 1.0507, α ≈ 1.6733): self-normalising with LeCun normal weights.</summary>
    SELU,
    /// <summary>Softplus, ln(1 + e^x): a smooth ReLU.</summary>
    Softplus,
}
