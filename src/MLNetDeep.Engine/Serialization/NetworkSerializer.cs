using System.Text;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// The model file format, version 1, little-endian:
/// <code>
/// "MLND" | version:int32 | payloadLength:int32 | payload | crc32(all bytes before it):uint32
/// payload = rank:int32, dims:int32[rank] | loss:string | layerCount:int32 |
///           per layer: tag:string, config (layer-specific), parameterCount:int32,
///                      per parameter: rows:int32, cols:int32, values:float32[rows*cols]
/// </code>
/// Every length is bounded before anything is allocated, and the checksum is verified before the
/// payload is parsed, so a damaged file is an <see cref="InvalidDataException"/>, never a half-built network.
/// </summary>
public static class NetworkSerializer
{
    /// <summary>The four bytes every model file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "MLND"u8;

    /// <summary>The format version written by this build.</summary>
    public const int Version = 1;

    /// <summary>The largest payload accepted (1 GiB): well above any network this engine trains.</summary>
    public const int MaxPayloadBytes = 1 << 30;

    private const int MaxLayers = 4096, MaxRank = 8, MaxTagLength = 64, MaxInputSize = 1 << 26;

    /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/>.</summary>
    public static void Write(Network network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        ChecksummedEnvelope.Write(stream, Magic, Version, MaxPayloadBytes, "network", w =>
        {
            w.Write(network.InputShape.Rank);
            foreach (int d in network.InputShape.Dims) w.Write(d);
            w.Write(network.Loss.ToString());
            w.Write(network.Layers.Count);
            foreach (var layer in network.Layers)
            {
                w.Write(LayerCodec.Tag(layer));
                layer.WriteConfig(w);
                w.Write(layer.Parameters.Count);
                foreach (var p in layer.Parameters)
                {
                    w.Write(p.Rows);
                    w.Write(p.Cols);
                    foreach (float v in p.Value) w.Write(v);
                }
            }
        });
    }

    /// <summary>The network as bytes.</summary>
    public static byte[] ToBytes(Network network)
    {
        using var stream = new MemoryStream();
        Write(network, stream);
        return stream.ToArray();
    }

    /// <summary>A network from bytes written by <see cref="ToBytes"/>.</summary>
    public static Network FromBytes(ReadOnlySpan<byte> bytes)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return Read(stream);
    }

    /// <summary>
    /// Saves to <paramref name="path"/> through a temporary file in the same folder that is then
    /// renamed over it, so a failure leaves no partial file under that name.
    /// </summary>
    public static void WriteFile(Network network, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                Write(network, file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Loads a network from a file; errors name the file.</summary>
    public static Network ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try { return Read(file); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}' is not a valid MLNetDeep model: {e.Message}", e); }
    }

    /// <summary>Reads a network; throws <see cref="InvalidDataException"/> saying what is wrong with a damaged stream.</summary>
    public static Network Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var payload = ChecksummedEnvelope.Read(stream, Magic, Version, MaxPayloadBytes, "network");
        long length = payload.Length;
        try
        {
            using var reader = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
            var network = ReadPayload(reader);
            if (reader.BaseStream.Position != length) throw new InvalidDataException($"{length - reader.BaseStream.Position} unexpected bytes after the last layer.");
            return network;
        }
        catch (EndOfStreamException e) { throw new InvalidDataException("The payload ends before the network is complete.", e); }
        catch (ArgumentException e) { throw new InvalidDataException($"The stored architecture is invalid: {e.Message}", e); }
    }

    private static Network ReadPayload(BinaryReader r)
    {
        int rank = Bounded(r.ReadInt32(), 1, MaxRank, "input rank");
        var dims = new int[rank];
        for (int i = 0; i < rank; i++) dims[i] = Bounded(r.ReadInt32(), 1, int.MaxValue, "input dimension");
        var inputShape = new TensorShape(dims);
        if (inputShape.Size > MaxInputSize) throw new InvalidDataException($"The input shape {inputShape} has more than {MaxInputSize} values.");
        var loss = Loss.FromName(ReadTag(r));
        int count = Bounded(r.ReadInt32(), 1, MaxLayers, "layer count");
        var layers = new Layer[count];
        var parameters = new List<(int Layer, int Rows, int Cols, long Offset)>();
        for (int i = 0; i < count; i++)
        {
            layers[i] = LayerCodec.Read(ReadTag(r), r, maxUnits: Math.Max(1, (int)(r.BaseStream.Length / 4)));
            int pc = Bounded(r.ReadInt32(), 0, 16, "parameter count");
            for (int p = 0; p < pc; p++)
            {
                int rows = Bounded(r.ReadInt32(), 1, int.MaxValue, "parameter rows");
                int cols = Bounded(r.ReadInt32(), 1, int.MaxValue, "parameter columns");
                long bytes = 4L * rows * cols;
                if (bytes > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException($"Layer {i} parameter {p} ({rows}x{cols}) is longer than the rest of the payload.");
                parameters.Add((i, rows, cols, r.BaseStream.Position));
                r.BaseStream.Seek(bytes, SeekOrigin.Current);
            }
        }
        // The architecture decides each parameter's shape; the stored shapes must agree with it.
        var network = new Network(inputShape, layers, loss, new Rng(0));
        long end = r.BaseStream.Position;
        int index = 0;
        for (int i = 0; i < count; i++)
        {
            var own = layers[i].Parameters;
            int stored = 0;
            while (index + stored < parameters.Count && parameters[index + stored].Layer == i) stored++;
            if (stored != own.Count) throw new InvalidDataException($"Layer {i} ({layers[i]}) has {own.Count} parameters; the file stores {stored}.");
            for (int p = 0; p < stored; p++)
            {
                var (_, rows, cols, offset) = parameters[index + p];
                if (rows != own[p].Rows || cols != own[p].Cols)
                    throw new InvalidDataException($"Layer {i} ({layers[i]}) parameter '{own[p].Name}' is {own[p].Rows}x{own[p].Cols}; the file stores {rows}x{cols}.");
                r.BaseStream.Position = offset;
                var values = own[p].Value;
                for (int k = 0; k < values.Length; k++) values[k] = r.ReadSingle();
            }
            index += stored;
        }
        r.BaseStream.Position = end;
        return network;
    }

    private static string ReadTag(BinaryReader r)
    {
        // BinaryReader.ReadString trusts its 7-bit length prefix; read the prefix first to bound it.
        int length = r.Read7BitEncodedInt();
        Bounded(length, 1, MaxTagLength, "name length");
        var bytes = r.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return Encoding.UTF8.GetString(bytes);
    }

    private static int Bounded(int value, int min, int max, string what) => ChecksummedEnvelope.Bounded(value, min, max, what);
}
