namespace MLNetDeep.Engine.Tensors;

/// <summary>
/// A layer's state that is not trained by gradients, such as a normalisation's running statistics: saved in
/// model files and checkpoints with the layer, and never touched by optimizers, L2 decay or max-norm. Made
/// by <see cref="Layers.LayerBuilder.Buffer"/> while the layer is built (PyTorch calls these buffers).
/// </summary>
public sealed class LayerBuffer
{
    internal LayerBuffer(string name, int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Name = name;
        Value = new float[length];
    }

    /// <summary>A name unique within its layer, such as "running_mean".</summary>
    public string Name { get; }

    /// <summary>The values.</summary>
    public float[] Value { get; }

    /// <summary>The number of values.</summary>
    public int Length => Value.Length;
}
