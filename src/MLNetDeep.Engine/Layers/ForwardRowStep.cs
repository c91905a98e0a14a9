using MLNetDeep.Engine.Kernels;

namespace MLNetDeep.Engine.Layers;

/// <summary>The default step: the layer's own inference Forward.</summary>
internal sealed class ForwardRowStep(Layer layer, ComputeContext compute) : RowStep
{
    public override Tensor Run(Tensor input) => layer.Forward(input, training: false, compute);
}
