using System.Text;
using MLNetDeep.Engine.Layers;

namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// Reads layers from a model file: a layer type's <see cref="ILayerFormat{TSelf}.ReadConfig"/> reads its
/// hyper-parameters through it, every size bounded before anything is allocated, and a container its children
/// with <see cref="ReadLayer"/>. The values of parameters and buffers are only located here (their shapes
/// bounded by what the file holds) and copied in once the network is built.
/// </summary>
public sealed class LayerReader
{
    /// <summary>
    /// The bound on a window's stride, padding and pooling size: far beyond any image the input shape
    /// allows, and small enough that sizes computed from it cannot overflow.
    /// </summary>
    public const int MaxWindowStep = 1 << 16;

    private const int MaxLayers = 4096, MaxDepth = 64, MaxStateArrays = 16, MaxTagLength = 64;

    private readonly BinaryReader _reader;
    private readonly int _fileVersion;
    private readonly int _maxUnits;
    private int _depth;

    internal LayerReader(BinaryReader reader, int fileVersion)
    {
        _reader = reader;
        _fileVersion = fileVersion;
        _maxUnits = Math.Max(1, (int)(reader.BaseStream.Length / 4));
    }

    /// <summary>Every layer read, containers before their children, with where its values are.</summary>
    internal List<StoredLayer> Stored { get; } = [];

    /// <summary>How many parameter and buffer values the layers read so far store.</summary>
    internal long StoredValues { get; private set; }

    /// <summary>
    /// A count of units, filters or kernel taps, from 1 to the number of floats the file could hold: a layer of n
    /// units stores at least n weights, so no honest value is larger.
    /// </summary>
    public int ReadSize(string what) => ReadInt32(1, _maxUnits, what);

    /// <summary>A window's size or stride (from 1), or with <paramref name="min"/> 0 a padding, up to <see cref="MaxWindowStep"/>.</summary>
    public int ReadWindow(string what, int min = 1) => ReadInt32(min, MaxWindowStep, what);

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int ReadInt32(int min, int max, string what) => ChecksummedEnvelope.Bounded(_reader.ReadInt32(), min, max, $"layer's {what}");

    /// <summary>A number; the layer's constructor checks its range.</summary>
    public float ReadSingle() => _reader.ReadSingle();

    /// <summary>A flag.</summary>
    public bool ReadBoolean() => _reader.ReadBoolean();

    /// <summary>Reads a whole layer record (a container's child); the layer is not yet built.</summary>
    public Layer ReadLayer()
    {
        if (Stored.Count >= MaxLayers) throw new InvalidDataException($"The file holds more than {MaxLayers} layers.");
        if (_depth >= MaxDepth) throw new InvalidDataException($"Containers are nested more than {MaxDepth} deep.");
        string tag = ReadTag();
        int version = _fileVersion >= 2 ? ChecksummedEnvelope.Bounded(_reader.ReadInt32(), 1, int.MaxValue, "layer format version") : 1;
        var stored = new StoredLayer();
        Stored.Add(stored);
        _depth++;
        stored.Layer = LayerRegistry.Read(tag, version, this);
        _depth--;
        int parameters = ChecksummedEnvelope.Bounded(_reader.ReadInt32(), 0, MaxStateArrays, "parameter count");
        for (int p = 0; p < parameters; p++)
        {
            int rows = ChecksummedEnvelope.Bounded(_reader.ReadInt32(), 1, int.MaxValue, "parameter rows");
            int cols = ChecksummedEnvelope.Bounded(_reader.ReadInt32(), 1, int.MaxValue, "parameter columns");
            stored.Parameters.Add((rows, cols, Skip((long)rows * cols, $"{tag} parameter {p} ({rows}x{cols})")));
        }
        int buffers = _fileVersion >= 2 ? ChecksummedEnvelope.Bounded(_reader.ReadInt32(), 0, MaxStateArrays, "buffer count") : 0;
        for (int b = 0; b < buffers; b++)
        {
            int length = ChecksummedEnvelope.Bounded(_reader.ReadInt32(), 1, int.MaxValue, "buffer length");
            stored.Buffers.Add((length, Skip(length, $"{tag} buffer {b} ({length} values)")));
        }
        return stored.Layer;
    }

    /// <summary>Copies the located values into the built layers, checking that each layer made what the file stores.</summary>
    internal void FillValues()
    {
        long end = _reader.BaseStream.Position;
        foreach (var stored in Stored)
        {
            var layer = stored.Layer!;
            Fill(layer, "parameter", stored.Parameters.Count, layer.Parameters.Count, p =>
            {
                var (rows, cols, offset) = stored.Parameters[p];
                var own = layer.Parameters[p];
                if (rows != own.Rows || cols != own.Cols)
                    throw new InvalidDataException($"Layer {layer} parameter '{own.Name}' is {own.Rows}x{own.Cols}; the file stores {rows}x{cols}.");
                return (own.Name, own.Value, offset);
            });
            Fill(layer, "buffer", stored.Buffers.Count, layer.Buffers.Count, b =>
            {
                var (length, offset) = stored.Buffers[b];
                var own = layer.Buffers[b];
                if (length != own.Length) throw new InvalidDataException($"Layer {layer} buffer '{own.Name}' has {own.Length} values; the file stores {length}.");
                return (own.Name, own.Value, offset);
            });
        }
        _reader.BaseStream.Position = end;
    }

    private void Fill(Layer layer, string kind, int stored, int own, Func<int, (string Name, float[] Values, long Offset)> locate)
    {
        if (stored != own) throw new InvalidDataException($"Layer {layer} has {own} {kind}s; the file stores {stored}.");
        for (int i = 0; i < own; i++)
        {
            var (name, values, offset) = locate(i);
            _reader.BaseStream.Position = offset;
            for (int k = 0; k < values.Length; k++)
                if (!float.IsFinite(values[k] = _reader.ReadSingle()))
                    throw new InvalidDataException($"Layer {layer} {kind} '{name}' holds {values[k]} at index {k}; stored values must be finite.");
        }
    }

    /// <summary>Skips <paramref name="values"/> floats that must lie inside the payload; returns where they start.</summary>
    private long Skip(long values, string what)
    {
        var stream = _reader.BaseStream;
        if (values > (stream.Length - stream.Position) / 4) throw new InvalidDataException($"{what} is longer than the rest of the payload.");
        long offset = stream.Position;
        stream.Seek(4 * values, SeekOrigin.Current);
        StoredValues += values;
        return offset;
    }

    /// <summary>A tag, its 7-bit length prefix bounded before anything is read (BinaryReader.ReadString trusts it).</summary>
    internal string ReadTag()
    {
        int length = _reader.Read7BitEncodedInt();
        ChecksummedEnvelope.Bounded(length, 1, MaxTagLength, "name length");
        var bytes = _reader.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>One layer as the file stores it: the layer, and where its parameters' and buffers' values are.</summary>
    internal sealed class StoredLayer
    {
        public Layer? Layer { get; set; }
        public List<(int Rows, int Cols, long Offset)> Parameters { get; } = [];
        public List<(int Length, long Offset)> Buffers { get; } = [];
    }
}
