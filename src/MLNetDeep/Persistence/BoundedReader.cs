using System.Text;

namespace MLNetDeep.Persistence;

/// <summary>
/// Reads the fields of a saved transformer with every length bounded before anything is allocated.
/// BinaryReader alone trusts what a damaged file says: ReadString takes a negative length for an
/// IOException and ReadBytes allocates whatever length it is asked for. These throw
/// <see cref="InvalidDataException"/> instead, and grow buffers only as bytes really arrive.
/// </summary>
internal static class BoundedReader
{
    /// <summary>The most bytes read at once, and so allocated ahead of the data that fills them.</summary>
    private const int Chunk = 1 << 20;

    /// <summary>An int in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int ReadInt32(BinaryReader reader, int min, int max, string what)
    {
        int value = reader.ReadInt32();
        return value >= min && value <= max ? value : throw new InvalidDataException($"The model's {what} is {value}; expected {min}..{max}.");
    }

    /// <summary>A string written by <see cref="BinaryWriter.Write(string)"/> of at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static string ReadString(BinaryReader reader, int maxBytes, string what)
    {
        int length;
        try { length = reader.Read7BitEncodedInt(); }
        catch (FormatException e) { throw new InvalidDataException($"The model's {what} has a malformed length.", e); }
        if (length < 0 || length > maxBytes)
            throw new InvalidDataException($"The model's {what} is {length} bytes long; expected at most {maxBytes}.");
        return Encoding.UTF8.GetString(ReadBytes(reader, length, what));
    }

    /// <summary>Exactly <paramref name="length"/> bytes; the buffer grows with the data, so a false length costs nothing.</summary>
    public static byte[] ReadBytes(BinaryReader reader, int length, string what)
    {
        var bytes = new byte[Math.Min(length, Chunk)];
        int filled = 0;
        while (true)
        {
            while (filled < bytes.Length)
            {
                int n = reader.Read(bytes, filled, bytes.Length - filled);
                if (n == 0) throw new InvalidDataException($"The model's {what} is truncated: {filled} of {length} bytes.");
                filled += n;
            }
            if (filled == length) return bytes;
            Array.Resize(ref bytes, (int)Math.Min(length, 2L * bytes.Length));
        }
    }
}
