using System.Buffers.Binary;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Reliability;

/// <summary>A failed save leaves nothing that looks valid; a crafted file cannot make the loader allocate or misbehave.</summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlnetdeep-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Network Small() => new(TensorShape.Vector(4), [new Dense(3), new Relu(), new Dense(2)], new SoftmaxCrossEntropy(), seed: 2);

    /// <summary>Rewrites the checksum so that a change inside the payload reaches the parser.</summary>
    private static byte[] Reseal(byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    [Fact]
    public void AWriterThatFailsMidwayLeavesTheEarlierFileAndNoOther()
    {
        string path = Path.Combine(_directory, "net.mlnd");
        Small().Save(path);
        byte[] before = File.ReadAllBytes(path);
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(before.AsSpan(0, before.Length / 2));
            throw new IOException("disk full");
        }));
        Assert.Equal("disk full", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void AFailedFirstSaveLeavesNoFileAtAll()
    {
        string path = Path.Combine(_directory, "new.mlnd");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("cancelled");
        }));
        Assert.Empty(Directory.GetFiles(_directory));
        Assert.Throws<DirectoryNotFoundException>(() => Small().Save(Path.Combine(_directory, "missing", "net.mlnd")));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void BytesAfterTheChecksumMakeAnOversizedFileInvalid()
    {
        byte[] bytes = [.. NetworkSerializer.ToBytes(Small()), 0, 1, 2];
        var e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromBytes(bytes));
        Assert.Contains("3 unexpected bytes", e.Message);
        string path = Path.Combine(_directory, "big.mlnd");
        File.WriteAllBytes(path, bytes);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => Network.Load(path)).Message);
    }

    [Fact]
    public void ANonFiniteStoredWeightIsInvalidData()
    {
        byte[] bytes = NetworkSerializer.ToBytes(Small());
        // Before the checksum: the output layer's buffer count (none), and before it its last bias.
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8)));
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(bytes.Length - 12), float.NaN);
        var e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromBytes(Reseal(bytes)));
        Assert.Contains("must be finite", e.Message);
    }

    [Fact]
    public void AnArchitectureLargerThanItsStoredWeightsIsRefusedBeforeAllocating()
    {
        // The input claims 2^24 features, so Dense(3) would need 3 x 2^24 weights (and as many gradients,
        // 400 MB in all) where the file stores 3 x 4. Payload: rank, then the first dimension.
        byte[] bytes = NetworkSerializer.ToBytes(Small());
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 1 << 24);
        Reseal(bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromBytes(bytes));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Contains("parameter values", e.Message);
    }

    [Fact]
    public void AStreamThatLiesAboutItsLengthCannotMakeTheReaderAllocateIt()
    {
        byte[] bytes = NetworkSerializer.ToBytes(Small());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), NetworkSerializer.MaxPayloadBytes); // announces 1 GiB
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Network.Load(new ForwardOnlyStream(bytes)));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 << 20);
        Assert.Contains("Truncated", e.Message);
    }

    /// <summary>A stream that cannot seek, so it cannot tell how much remains, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
