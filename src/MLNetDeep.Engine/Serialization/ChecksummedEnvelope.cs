using System.Buffers.Binary;
using System.Text;

namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// The envelope shared by the engine's binary formats, little-endian:
/// <c>magic:4 bytes | version:int32 | payloadLength:int32 | payload | crc32(all bytes before it):uint32</c>.
/// Reading bounds the length before allocating and verifies the checksum before anyone parses the
/// payload, so damage surfaces as an <see cref="InvalidDataException"/> saying what is wrong.
/// </summary>
internal static class ChecksummedEnvelope
{
    private const int HeaderBytes = 12;

    /// <summary>Writes the payload that <paramref name="writePayload"/> produces inside the envelope, in one write to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> magic, int version, int maxPayloadBytes, string what, Action<BinaryWriter> writePayload)
    {
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true)) writePayload(writer);
        if (payload.Length > maxPayloadBytes) throw new InvalidOperationException($"The {what} needs {payload.Length} bytes; the format holds at most {maxPayloadBytes}.");
        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var all = new byte[HeaderBytes + body.Length + 4];
        magic.CopyTo(all);
        BinaryPrimitives.WriteInt32LittleEndian(all.AsSpan(4), version);
        BinaryPrimitives.WriteInt32LittleEndian(all.AsSpan(8), body.Length);
        body.CopyTo(all.AsSpan(HeaderBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(all.AsSpan(all.Length - 4), Crc32.Compute(all.AsSpan(0, all.Length - 4)));
        stream.Write(all);
    }

    /// <summary>Reads and verifies an envelope; returns a read-only stream over its payload alone (position 0, length = payload length).</summary>
    public static MemoryStream Read(Stream stream, ReadOnlySpan<byte> magic, int version, int maxPayloadBytes, string what) =>
        Read(stream, magic, version, version, maxPayloadBytes, what, out _);

    /// <summary>Reads and verifies an envelope of any version from <paramref name="oldest"/> to <paramref name="newest"/>, which <paramref name="version"/> receives.</summary>
    public static MemoryStream Read(Stream stream, ReadOnlySpan<byte> magic, int oldest, int newest, int maxPayloadBytes, string what, out int version)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        int got = ReadUpTo(stream, header);
        // A short foreign file is foreign first: only a file that starts like ours can be a truncated one of ours.
        if (got == 0) throw new InvalidDataException($"Truncated: the stream is empty; an MLNetDeep {what} starts with '{Encoding.ASCII.GetString(magic)}'.");
        int compared = Math.Min(got, magic.Length);
        if (!header[..compared].SequenceEqual(magic[..compared]))
            throw new InvalidDataException($"Not an MLNetDeep {what}: the file does not start with '{Encoding.ASCII.GetString(magic)}'.");
        if (got < HeaderBytes) throw new InvalidDataException($"Truncated: the stream ends inside the header ({got} of {HeaderBytes} bytes).");
        int found = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (found < oldest || found > newest)
            throw new InvalidDataException($"Unsupported format version {found}; this build reads version {(oldest == newest ? $"{newest}" : $"{oldest} to {newest}")}.");
        version = found;
        int length = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (length < 0 || length > maxPayloadBytes) throw new InvalidDataException($"Payload length {length} is outside 0..{maxPayloadBytes}.");
        if (stream.CanSeek && length > stream.Length - stream.Position)
            throw new InvalidDataException($"Truncated: the header announces {length} payload bytes but only {stream.Length - stream.Position} remain.");
        var all = ReadRest(stream, header, HeaderBytes + length + 4);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(all.AsSpan(all.Length - 4));
        uint actual = Crc32.Compute(all.AsSpan(0, all.Length - 4));
        if (stored != actual) throw new InvalidDataException($"Checksum mismatch (stored {stored:X8}, computed {actual:X8}): the file is damaged.");
        return new MemoryStream(all, HeaderBytes, length, writable: false);
    }

    /// <summary>Returns <paramref name="value"/> when it lies in [min, max]; otherwise the stored <paramref name="what"/> is damaged.</summary>
    public static int Bounded(int value, int min, int max, string what)
    {
        if (value < min || value > max) throw new InvalidDataException($"The {what} {value} is outside {min}..{max}.");
        return value;
    }

    /// <summary>
    /// The header followed by the rest of the envelope. A stream that cannot tell its length may lie
    /// about the payload's, so its buffer grows with the bytes that really arrive instead of being
    /// allocated at the announced size.
    /// </summary>
    private static byte[] ReadRest(Stream stream, ReadOnlySpan<byte> header, int total)
    {
        const int Chunk = 1 << 20;
        var all = new byte[stream.CanSeek ? total : Math.Min(total, Chunk)];
        header.CopyTo(all);
        int filled = header.Length;
        while (true)
        {
            ReadExactly(stream, all.AsSpan(filled), "payload and checksum", filled - header.Length, total - header.Length);
            if (all.Length == total) return all;
            filled = all.Length;
            Array.Resize(ref all, (int)Math.Min(total, 2L * all.Length));
        }
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0, n;
        while (total < buffer.Length && (n = stream.Read(buffer[total..])) > 0) total += n;
        return total;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what, int done = 0, int expected = -1)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) throw new InvalidDataException($"Truncated: the stream ends inside the {what} ({done + total} of {(expected < 0 ? buffer.Length : expected)} bytes).");
            total += n;
        }
    }
}
