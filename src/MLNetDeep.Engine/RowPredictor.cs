using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine;

/// <summary>
/// Predicts one sample at a time with the least latency, as a PredictionEngine asks: a snapshot
/// of a <see cref="Network"/> whose dense layers keep their weights laid out for one-row
/// products (<c>RowWeights</c>), so that a call streams through each weight matrix once instead
/// of repacking it. Its products round exactly as those of
/// <see cref="Network.Predict(ReadOnlySpan{float}, int, Span{float}, bool)"/> for the same sample in
/// any batch, so the two agree bit for bit. Not thread-safe; a call allocates nothing.
/// </summary>
public sealed class RowPredictor
{
    private readonly Network _network;
    private readonly RowWeights?[] _dense;
    private readonly Tensor?[] _denseOutputs;
    private readonly Tensor _input;

    /// <summary>Takes a snapshot of <paramref name="network"/>: later changes to it do not reach this predictor.</summary>
    public RowPredictor(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network.Clone();
        var layers = _network.Layers;
        _dense = new RowWeights?[layers.Count];
        _denseOutputs = new Tensor?[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is Dense dense)
            {
                _dense[i] = new RowWeights(dense.Weight.Value, dense.Units, dense.InputShape.Size);
                _denseOutputs[i] = new Tensor(1, dense.OutputShape);
            }
        }
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
        Tensor x = _input;
        var layers = _network.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            if (_dense[i] is { } weights)
            {
                // Dense.Forward's arithmetic: the product, then the bias added row by row.
                var y = _denseOutputs[i]!;
                weights.Multiply(x.Span, y.Span);
                TensorPrimitives.Add(y.Span, ((Dense)layers[i]).Bias.Value, y.Span);
                x = y;
            }
            else x = layers[i].Forward(x, training: false);
        }
        x.Span.CopyTo(output);
        if (activate) _network.Loss.Activate(output, 1, outSize);
    }
}
