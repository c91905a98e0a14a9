namespace MLNetDeep.Engine.Optimizers;

/// <summary>The optimizers the engine offers; <see cref="Optimizer.Create"/> makes one with published defaults.</summary>
public enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent, <see cref="Optimizers.Sgd"/>.</summary>
    Sgd,

    /// <summary>Heavy-ball momentum, <see cref="Optimizers.Momentum"/>.</summary>
    Momentum,

    /// <summary>Nesterov momentum, <see cref="Optimizers.Nesterov"/>.</summary>
    Nesterov,

    /// <summary>Adagrad, <see cref="Optimizers.Adagrad"/>.</summary>
    Adagrad,

    /// <summary>RMSProp, <see cref="Optimizers.RmsProp"/>.</summary>
    RmsProp,

    /// <summary>AdaDelta, <see cref="Optimizers.AdaDelta"/>.</summary>
    AdaDelta,

    /// <summary>Adam, <see cref="Optimizers.Adam"/>.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay, <see cref="Optimizers.AdamW"/>.</summary>
    AdamW,

    /// <summary>Adam with Nesterov momentum, <see cref="Optimizers.NAdam"/>.</summary>
    NAdam,
}
