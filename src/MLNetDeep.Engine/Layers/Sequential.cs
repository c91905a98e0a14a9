using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Layers applied one after another, as one layer: forward in order, backward in reverse, so that a block of
/// layers can stand wherever a layer can (inside a <see cref="Residual"/>, or another Sequential). A network's
/// own layers run in one.
/// </summary>
public sealed partial class Sequential : Layer, ILayerFormat<Sequential>
{
    private const int MaxChildren = 4096;

    private readonly Layer[] _layers;

    /// <summary>Creates the block; it needs at least one layer, and each layer may belong to one block only.</summary>
    public Sequential(IEnumerable<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0) throw new ArgumentException("A Sequential block needs at least one layer.", nameof(layers));
        for (int i = 0; i < _layers.Length; i++)
            if (_layers[i] is null) throw new ArgumentException($"Layer {i} is null.", nameof(layers));
    }

    /// <summary>Creates the block from its layers.</summary>
    public Sequential(params Layer[] layers) : this((IEnumerable<Layer>)layers) { }

    static string ILayerFormat<Sequential>.FormatTag => nameof(Sequential);

    static int ILayerFormat<Sequential>.FormatVersion => 1;

    /// <inheritdoc/>
    public override IReadOnlyList<Layer> Children => _layers;

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        var shape = inputShape;
        for (int i = 0; i < _layers.Length; i++)
        {
            try { shape = builder.Initialize(_layers[i], shape); }
            catch (ArgumentException e) { throw new ArgumentException($"Layer {i} ({_layers[i]}) cannot take input of shape {shape}: {e.Message}", e); }
        }
        if (builder.FuseLayers) LayerFusion.Apply(_layers);
        _layers[0].ComputeInputGradient = ComputeInputGradient;
        return shape;
    }

    /// <inheritdoc/>
    protected override void OnComputeInputGradientChanged(bool value)
    {
        if (_layers[0].IsInitialized) _layers[0].ComputeInputGradient = value;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x, training, compute);
        return x;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        var g = gradOutput;
        for (int i = _layers.Length - 1; i >= 0; i--) g = _layers[i].Backward(g, compute);
        return g;
    }

    internal override RowStep CreateRowStep(ComputeContext compute) => new SequentialRowStep([.. _layers.Select(l => l.CreateRowStep(compute))]);

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer)
    {
        writer.Write(_layers.Length);
        foreach (var layer in _layers) writer.WriteLayer(layer);
    }

    static Sequential ILayerFormat<Sequential>.ReadConfig(LayerReader reader, int version)
    {
        var layers = new Layer[reader.ReadInt32(1, MaxChildren, "layer count")];
        for (int i = 0; i < layers.Length; i++) layers[i] = reader.ReadLayer();
        return new Sequential(layers);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Sequential({string.Join(" -> ", _layers.Select(l => l.ToString()))})";

    private sealed class SequentialRowStep(RowStep[] steps) : RowStep
    {
        public override Tensor Run(Tensor input)
        {
            var x = input;
            foreach (var step in steps) x = step.Run(x);
            return x;
        }
    }
}
