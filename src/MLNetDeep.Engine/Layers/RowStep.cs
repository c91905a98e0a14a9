using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Layers;

/// <summary>One layer's work on one sample in a <see cref="RowPredictor"/>; made by <see cref="Layer.CreateRowStep"/>.</summary>
internal abstract class RowStep
{
    /// <summary>The output for a batch of one; the tensor is reused by the next call.</summary>
    public abstract Tensor Run(Tensor input);
}
