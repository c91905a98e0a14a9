using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine;

/// <summary>
/// Predicts one sample at a time with the least latency, as a PredictionEngine asks: a snapshot of a
/// <see cref="Network"/> in which every layer runs its one-row form (<see cref="Layer.CreateRowStep"/>: a dense
/// layer keeps its weights laid out for one-row products, so that a call streams through each weight matrix once
/// instead of repacking it). Its products round exactly as those of
/// <see cref="Network.Predict(ReadOnlySpan{float}, int, Span{float}, bool, ComputeContext)"/> for the same sample
/// in any batch, so the two agree bit for bit. Not thread-safe; a call allocates nothing.
/// </summary>
public sealed class RowPredictor
{
    private readonly Network _network;
    private readonly RowStep _step;
    private readonly Tensor _input;

    /// <summary>
    /// Takes a snapshot of <paramref name="network"/> (later changes to it do not reach this predictor), to run
    /// with <paramref name="compute"/> (every core when null).
    /// </summary>
    public RowPredictor(Network network, ComputeContext? compute = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network.Clone();
        _step = _network.Root.CreateRowStep(compute ?? ComputeContext.Default);
        _input = new Tensor(1, _network.InputShape);
    }

    /// <summary>The shape of one input sample.</summary>
    public TensorShape InputShape => _network.InputShape;

    /// <summary>The shape of one output.</summary>
    public TensorShape OutputShape => _network.OutputShape;

    /// <summary>
    /// Predicts one sample: the activated outputs (probabilities for classifiers), or the raw
    /// outputs when <paramref name="activate"/> is false.
    /// </summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output, bool activate = true)
    {
        int inSize = _network.InputShape.Size, outSize = _network.OutputShape.Size;
        if (input.Length != inSize) throw new ArgumentException($"The network takes {inSize} input values; got {input.Length}.", nameof(input));
        if (output.Length != outSize) throw new ArgumentException($"The network gives {outSize} output values; got room for {output.Length}.", nameof(output));
        input.CopyTo(_input.Span);
        _step.Run(_input).Span.CopyTo(output);
        if (activate) _network.Loss.Activate(output, 1, outSize);
    }
}
