using System.Buffers.Binary;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Serialization;

public class NetworkSerializerTests
{
    internal static Network EveryLayer() => new(TensorShape.Image(1, 4, 5),
        [new Dense(12), new Relu(), new Dropout(0.25f), new Dense(9), new LeakyRelu(0.1f), new Dense(8), new Elu(0.5f),
         new Dense(6), new Maxout(2), new Tanh(), new Dense(5), new Sigmoid(), new Dense(4), new Identity(), new Softmax()],
        new MeanSquaredError(), seed: 3);

    /// <summary>Every image layer, with strides, padding, overlapping pools and non-square images.</summary>
    internal static Network Convolutional() => new(TensorShape.Image(2, 9, 7),
        [new Conv2D(4, 3, padding: 1), new Relu(), new MaxPool2D(2), new Conv2D(5, 3, stride: 2, padding: 1), new Tanh(),
         new AveragePool2D(2, 1), new Flatten(), new Dense(3)],
        new SoftmaxCrossEntropy(), seed: 4);

    /// <summary>Normalisation (BatchNorm's running statistics set away from their start), same padding, global pooling, the smooth activations.</summary>
    internal static Network Normalized()
    {
        var network = new Network(TensorShape.Image(2, 7, 6),
            [new Conv2D(4, 3, ConvPadding.Same), new BatchNorm(momentum: 0.25f, epsilon: 1e-3f), new Gelu(), new LayerNorm(epsilon: 1e-4f),
             new Conv2D(3, 5, ConvPadding.Same, stride: 2), new Silu(), new GlobalAveragePool2D(), new Dense(5), new BatchNorm(), new Selu(),
             new Dense(4), new Softplus(), new Dense(3)],
            new SoftmaxCrossEntropy(), seed: 5);
        var rng = new Rng(8);
        foreach (var p in network.Parameters) for (int i = 0; i < p.Length; i++) p.Value[i] = rng.NextFloat(-0.7f, 0.7f);
        foreach (var b in network.Buffers) for (int i = 0; i < b.Length; i++) b.Value[i] = rng.NextFloat(0.1f, 2f);
        return network;
    }

    public static TheoryData<string> Networks => new() { nameof(EveryLayer), nameof(Convolutional), nameof(Normalized) };

    [Theory, MemberData(nameof(Networks))]
    public void RoundTripIsBitExact(string network)
    {
        var original = network switch { nameof(Convolutional) => Convolutional(), nameof(Normalized) => Normalized(), _ => EveryLayer() };
        var bytes = NetworkSerializer.ToBytes(original);
        var copy = NetworkSerializer.FromBytes(bytes);
        Assert.Equal(original.ToString(), copy.ToString());
        Assert.Equal(original.InputShape, copy.InputShape);
        for (int i = 0; i < original.Parameters.Count; i++)
            Assert.Equal(original.Parameters[i].Value.Select(BitConverter.SingleToInt32Bits), copy.Parameters[i].Value.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(bytes, NetworkSerializer.ToBytes(copy));
        // Same predictions, bit for bit.
        var x = Enumerable.Range(0, 3 * original.InputShape.Size).Select(i => MathF.Sin(i)).ToArray();
        float[] a = new float[3 * original.OutputShape.Size], b = new float[a.Length];
        original.Predict(x, 3, a);
        copy.Predict(x, 3, b);
        Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(40)]
    [InlineData(-1)]
    public void TruncatedFileIsInvalidData(int keep)
    {
        var bytes = NetworkSerializer.ToBytes(EveryLayer());
        int length = keep >= 0 ? keep : bytes.Length - 1;
        var e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromBytes(bytes.AsSpan(0, length)));
        Assert.Contains("runcated", e.Message);
    }

    [Fact]
    public void EveryFlippedBitIsDetected()
    {
        var bytes = NetworkSerializer.ToBytes(new Network(TensorShape.Vector(3), [new Dense(2), new Sigmoid()], new MeanSquaredError()));
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromBytes(damaged));
        }
    }

    [Theory]
    // field of the first Conv2D's config (0 filters, 1 kernel, 2 stride, 3 padding), value written, expected message
    [InlineData(0, 0, "filters 0 is outside")]
    [InlineData(1, -3, "kernel size -3 is outside")]
    [InlineData(2, 0, "stride 0 is outside")]
    [InlineData(3, -1, "padding -1 is outside")]
    [InlineData(3, 1 << 20, "padding 1048576 is outside")]
    [InlineData(1, 12, "needs an image of at least 12x12 pixels")]
    public void AnImpossibleConvolutionConfigIsInvalidData(int field, int value, string message)
    {
        // Damage the config and re-seal the file with a valid checksum, so that only the bounds can catch it.
        var bytes = NetworkSerializer.ToBytes(Convolutional());
        int tag = bytes.AsSpan().IndexOf("Conv2D"u8);
        // The tag, then the layer's configuration version, then its configuration.
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(tag + "Conv2D".Length + 4 + 4 * field), value);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        var e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromBytes(bytes));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ForeignFileSaysSo()
    {
        var e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromBytes("PK\u0003\u0004 not a network at all"u8));
        Assert.Contains("MLND", e.Message);
    }

    [Fact]
    public void SaveIsAtomicAndLoadNamesTheFile()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        string path = Path.Combine(dir, "net.mlnd");
        var network = EveryLayer();
        network.Save(path);
        Assert.Single(Directory.GetFiles(dir)); // no temporary file left behind
        Assert.Equal(NetworkSerializer.ToBytes(network), File.ReadAllBytes(path));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);
        var e = Assert.Throws<InvalidDataException>(() => Network.Load(path));
        Assert.Contains(path, e.Message);
        Directory.Delete(dir, true);
    }
}
