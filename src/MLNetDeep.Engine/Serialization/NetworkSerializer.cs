using System.Text;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// The model file format, version 2, little-endian:
/// <code>
/// "MLND" | version:int32 | payloadLength:int32 | payload | crc32(all bytes before it):uint32
/// payload = rank:int32, dims:int32[rank] | loss:string | layerCount:int32 | a record per layer (see <see cref="LayerWriter"/>):
///           tag:string, configVersion:int32, config (the layer's own; a container's holds its children's records),
///           parameterCount:int32, per parameter rows:int32, cols:int32, float32[rows*cols],
///           bufferCount:int32, per buffer length:int32, float32[length]
/// </code>
/// Version 1 (read, no longer written) had no configuration versions and no buffers, and no containers.
/// Every length is bounded before anything is allocated (the layers may allocate no more parameter
/// values than the file stores), and the checksum is verified before the payload is parsed, so a
/// damaged file is an <see cref="InvalidDataException"/>, never a half-built network. Weights are
/// finite: a network holding NaN or an infinity is neither written nor read.
/// </summary>
public static class NetworkSerializer
{
    /// <summary>The four bytes every model file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "MLND"u8;

    /// <summary>The format version written by this build.</summary>
    public const int Version = 2;

    /// <summary>The oldest format version this build reads.</summary>
    public const int OldestReadableVersion = 1;

    /// <summary>The largest payload accepted (1 GiB): well above any network this engine trains.</summary>
    public const int MaxPayloadBytes = 1 << 30;

    private const int MaxLayers = 4096, MaxRank = 8, MaxInputSize = 1 << 26;

    /// <summary>Writes <paramref name="network"/> to <paramref name="stream"/>, in one write.</summary>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite (training diverged); nothing is written.</exception>
    public static void Write(Network network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        CheckFinite(network);
        ChecksummedEnvelope.Write(stream, Magic, Version, MaxPayloadBytes, "network", w =>
        {
            w.Write(network.InputShape.Rank);
            foreach (int d in network.InputShape.Dims) w.Write(d);
            w.Write(network.Loss.ToString());
            w.Write(network.Layers.Count);
            var layers = new LayerWriter(w);
            foreach (var layer in network.Layers) layers.WriteLayer(layer);
        });
    }

    /// <summary>The network as bytes.</summary>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite.</exception>
    public static byte[] ToBytes(Network network)
    {
        using var stream = new MemoryStream();
        Write(network, stream);
        return stream.ToArray();
    }

    /// <summary>A network from bytes written by <see cref="ToBytes"/>, which must hold nothing else.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a whole network file: foreign, truncated, damaged or followed by more bytes.</exception>
    public static Network FromBytes(ReadOnlySpan<byte> bytes)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return ReadWhole(stream);
    }

    /// <summary>
    /// Saves to <paramref name="path"/> through a temporary file in the same folder that is then
    /// renamed over it (<see cref="AtomicFile"/>), so a failure leaves no partial file under that name.
    /// </summary>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite.</exception>
    /// <exception cref="IOException">The folder does not exist or cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file may not be written.</exception>
    public static void WriteFile(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(network); // before the file is created: a network that cannot be saved touches nothing
        AtomicFile.Write(path, file => file.Write(bytes));
    }

    /// <summary>Loads a network from a file, which must hold nothing else; errors name the file.</summary>
    /// <exception cref="InvalidDataException">The file is not a whole network file: foreign, truncated, damaged or oversized.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static Network ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try { return ReadWhole(file); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}' is not a valid MLNetDeep model: {e.Message}", e); }
    }

    private static Network ReadWhole(Stream stream)
    {
        var network = Read(stream);
        if (stream.Position != stream.Length)
            throw new InvalidDataException($"{stream.Length - stream.Position} unexpected bytes after the network's checksum.");
        return network;
    }

    /// <summary>
    /// Reads a network and leaves <paramref name="stream"/> just after it (more data may follow);
    /// throws <see cref="InvalidDataException"/> saying what is wrong with a damaged stream.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream does not start with a whole, undamaged network.</exception>
    public static Network Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var payload = ChecksummedEnvelope.Read(stream, Magic, OldestReadableVersion, Version, MaxPayloadBytes, "network", out int version);
        long length = payload.Length;
        try
        {
            using var reader = new BinaryReader(payload, Encoding.UTF8, leaveOpen: true);
            var network = ReadPayload(reader, version);
            if (reader.BaseStream.Position != length) throw new InvalidDataException($"{length - reader.BaseStream.Position} unexpected bytes after the last layer.");
            return network;
        }
        catch (EndOfStreamException e) { throw new InvalidDataException("The payload ends before the network is complete.", e); }
        catch (FormatException e) { throw new InvalidDataException($"A name's length is malformed: {e.Message}", e); }
        catch (ArgumentException e) { throw new InvalidDataException($"The stored architecture is invalid: {e.Message}", e); }
    }

    private static Network ReadPayload(BinaryReader r, int version)
    {
        int rank = Bounded(r.ReadInt32(), 1, MaxRank, "input rank");
        var dims = new int[rank];
        for (int i = 0; i < rank; i++) dims[i] = Bounded(r.ReadInt32(), 1, int.MaxValue, "input dimension");
        var inputShape = new TensorShape(dims);
        if (inputShape.Size > MaxInputSize) throw new InvalidDataException($"The input shape {inputShape} has more than {MaxInputSize} values.");
        var reader = new LayerReader(r, version);
        var loss = Loss.FromName(reader.ReadTag());
        int count = Bounded(r.ReadInt32(), 1, MaxLayers, "layer count");
        var layers = new Layer[count];
        for (int i = 0; i < count; i++) layers[i] = reader.ReadLayer();
        // The architecture decides each parameter's shape; the stored shapes must agree with it, and the layers
        // may allocate no more values than the file stores.
        var network = new Network(inputShape, layers, loss, new Rng(0), maxParameterValues: reader.StoredValues);
        reader.FillValues();
        return network;
    }

    private static void CheckFinite(Network network)
    {
        foreach (var layer in network.AllLayers)
        {
            var arrays = layer.Parameters.Select(p => ("parameter", p.Name, p.Value)).Concat(layer.Buffers.Select(b => ("buffer", b.Name, b.Value)));
            foreach (var (kind, name, values) in arrays)
                if (FiniteValues.IndexOfNonFinite(values) is int k and >= 0)
                    throw new InvalidOperationException(
                        $"Layer {layer} {kind} '{name}' holds {values[k]} at index {k}: a network with non-finite weights cannot be saved. " +
                        "Training diverged: lower the learning rate, clip gradients, or train with OnDivergence = RestoreBest.");
        }
    }

    private static int Bounded(int value, int min, int max, string what) => ChecksummedEnvelope.Bounded(value, min, max, what);
}
