using MLNetDeep.Engine.Layers;

namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// Writes layers into a model file: a layer's <see cref="Layer.WriteConfig"/> writes its hyper-parameters with
/// it, and a container its children with <see cref="WriteLayer"/>. Each layer is stored as a record:
/// <code>tag:string | version:int32 | config | parameterCount:int32, per parameter rows:int32, cols:int32, float32[rows*cols]
///     | bufferCount:int32, per buffer length:int32, float32[length]</code>
/// </summary>
public sealed class LayerWriter
{
    private readonly BinaryWriter _writer;

    internal LayerWriter(BinaryWriter writer) => _writer = writer;

    /// <summary>Writes an integer of the configuration.</summary>
    public void Write(int value) => _writer.Write(value);

    /// <summary>Writes a number of the configuration.</summary>
    public void Write(float value) => _writer.Write(value);

    /// <summary>Writes a flag of the configuration.</summary>
    public void Write(bool value) => _writer.Write(value);

    /// <summary>Writes a whole layer (its record), for a container's children.</summary>
    /// <exception cref="InvalidOperationException">The layer's type has no file form.</exception>
    public void WriteLayer(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var (tag, version) = LayerRegistry.FormatOf(layer);
        _writer.Write(tag);
        _writer.Write(version);
        layer.WriteConfig(this);
        _writer.Write(layer.Parameters.Count);
        foreach (var p in layer.Parameters)
        {
            _writer.Write(p.Rows);
            _writer.Write(p.Cols);
            foreach (float v in p.Value) _writer.Write(v);
        }
        _writer.Write(layer.Buffers.Count);
        foreach (var b in layer.Buffers)
        {
            _writer.Write(b.Length);
            foreach (float v in b.Value) _writer.Write(v);
        }
    }
}
