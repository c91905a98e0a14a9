namespace MLNetDeep.Engine.Optimizers;

/// <summary>
/// Nesterov's accelerated gradient (Nesterov 1983) as a momentum method, in the reformulation of
/// Sutskever et al. (2013) that PyTorch's SGD(nesterov=True) uses, so the gradient is taken at the current
/// weights rather than at a look-ahead point: <c>v = Mu * v + g; w -= lr * (g + Mu * v)</c>.
/// </summary>
public sealed class Nesterov : Momentum
{
    /// <summary>Creates the optimizer with <see cref="Momentum.Mu"/> 0.9.</summary>
    public Nesterov(float learningRate = 0.01f)
        : base(learningRate)
    {
    }

    /// <inheritdoc/>
    public override OptimizerKind Kind => OptimizerKind.Nesterov;

    /// <inheritdoc/>
    private protected override bool LooksAhead => true;
}
