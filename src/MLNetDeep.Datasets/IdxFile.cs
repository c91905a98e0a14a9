using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNetDeep.Datasets;

/// <summary>
/// Reads the IDX format of the MNIST files: a big-endian magic (0x0000 0803 for images, 0x0000 0801
/// for labels), the dimensions, then unsigned bytes. Gzipped files are recognised by their header.
/// </summary>
public static class IdxFile
{
    private const int ImageMagic = 0x00000803, LabelMagic = 0x00000801;
    private const int MaxCount = 100_000_000, MaxSide = 4096;

    /// <summary>Reads an image file (raw or gzipped); errors name the file.</summary>
    public static IdxImages ReadImages(string path) => WithFile(path, ReadImages);

    /// <summary>Reads a label file (raw or gzipped); errors name the file.</summary>
    public static byte[] ReadLabels(string path) => WithFile(path, ReadLabels);

    /// <summary>Reads images from a stream (raw or gzipped).</summary>
    public static IdxImages ReadImages(Stream stream)
    {
        using var input = Decompress(stream);
        Span<byte> header = stackalloc byte[16];
        ReadExactly(input, header, "image header");
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != ImageMagic) throw new InvalidDataException($"Not an IDX image file: magic 0x{magic:X8}, expected 0x{ImageMagic:X8}.");
        int count = Bounded(BinaryPrimitives.ReadInt32BigEndian(header[4..]), MaxCount, "image count");
        int rows = Bounded(BinaryPrimitives.ReadInt32BigEndian(header[8..]), MaxSide, "row count");
        int cols = Bounded(BinaryPrimitives.ReadInt32BigEndian(header[12..]), MaxSide, "column count");
        long total = (long)count * rows * cols;
        if (total > Array.MaxLength) throw new InvalidDataException($"{count} images of {rows}x{cols} are too many to hold in memory.");
        var pixels = new byte[total];
        ReadExactly(input, pixels, "pixels");
        return new IdxImages(count, rows, cols, pixels);
    }

    /// <summary>Reads labels from a stream (raw or gzipped).</summary>
    public static byte[] ReadLabels(Stream stream)
    {
        using var input = Decompress(stream);
        Span<byte> header = stackalloc byte[8];
        ReadExactly(input, header, "label header");
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != LabelMagic) throw new InvalidDataException($"Not an IDX label file: magic 0x{magic:X8}, expected 0x{LabelMagic:X8}.");
        int count = Bounded(BinaryPrimitives.ReadInt32BigEndian(header[4..]), MaxCount, "label count");
        var labels = new byte[count];
        ReadExactly(input, labels, "labels");
        return labels;
    }

    private static T WithFile<T>(string path, Func<Stream, T> read)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        using var file = File.OpenRead(path);
        try { return read(file); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
    }

    private static Stream Decompress(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffered = new BufferedStream(stream, 1 << 16);
        int b0 = buffered.ReadByte(), b1 = buffered.ReadByte();
        if (b1 < 0) throw new InvalidDataException("The stream is empty or shorter than an IDX header.");
        var rest = new PrefixedStream([(byte)b0, (byte)b1], buffered);
        return b0 == 0x1F && b1 == 0x8B ? new GZipStream(rest, CompressionMode.Decompress) : rest;
    }

    private static int Bounded(int value, int max, string what) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"The {what} {value} is outside 0..{max}.");

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        try { stream.ReadExactly(buffer); }
        catch (EndOfStreamException e) { throw new InvalidDataException($"Truncated: the file ends inside the {what}.", e); }
    }

    /// <summary>A stream that replays the bytes already read to sniff the format.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_position < prefix.Length && buffer.Length > 0)
            {
                int n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            return inner.Read(buffer);
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
