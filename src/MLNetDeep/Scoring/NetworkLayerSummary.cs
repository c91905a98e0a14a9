using MLNetDeep.Engine.Tensors;

namespace MLNetDeep;

/// <summary>One layer of a trained network, as <see cref="NetworkModelParameters.Layers"/> lists it.</summary>
/// <param name="Layer">The layer, as the engine names it: "Dense(64)", "ReLU", "Conv2D(32, 3x3, stride 1, padding 1)"...</param>
/// <param name="InputShape">The shape of one sample it reads.</param>
/// <param name="OutputShape">The shape of one sample it writes.</param>
/// <param name="ParameterCount">Its trainable values (weights and biases).</param>
public sealed record NetworkLayerSummary(string Layer, TensorShape InputShape, TensorShape OutputShape, long ParameterCount)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Layer}: {InputShape} -> {OutputShape}, {ParameterCount:N0} parameters";
}
