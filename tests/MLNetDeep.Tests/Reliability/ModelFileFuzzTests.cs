using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;
using Xunit.Abstractions;

namespace MLNetDeep.Tests.Reliability;

/// <summary>
/// Ten thousand damaged DeepNet model files through <c>MLContext.Model.Load</c>, and ten thousand damaged
/// engine network files through <see cref="NetworkSerializer.FromBytes"/>: every failure is a documented
/// exception, no load hangs, none allocates more than <see cref="MaxAllocatedBytes"/>.
/// </summary>
public sealed class ModelFileFuzzTests(ITestOutputHelper output)
{
    private const int Files = 10_000;
    private const long MaxAllocatedBytes = 64L << 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What <c>MLContext.Model.Load</c> may throw on a damaged file, each type with those derived from it, as the cause
    /// (innermost of the TargetInvocationExceptions ML.NET wraps loader errors in); see <see cref="ModelFileCatalog"/>.
    /// </summary>
    private static readonly HashSet<Type> ModelLoadExceptions =
    [
        typeof(InvalidDataException), typeof(FormatException), typeof(IOException),
        typeof(InvalidOperationException), typeof(ArgumentException), typeof(NotSupportedException),
    ];

    [Fact]
    public void DamagedModelFilesFailWithDocumentedExceptionsThroughModelLoad()
    {
        var ml = new MLContext(seed: 1);
        var (zip, ownEntry, probe) = SavedModel(ml);
        var tally = new FuzzTally(ModelLoadExceptions, Timeout);
        var rng = new Rng(2024);
        tally.RunAll(Files, i =>
        {
            int mutation = i % ZipMutations.Names.Length;
            byte[] damaged = ZipMutations.Apply(mutation, zip, rng, ownEntry);
            return (ZipMutations.Names[mutation], () =>
            {
                var model = ml.Model.Load(new MemoryStream(damaged, writable: false), out _);
                _ = model.Transform(probe).GetColumn<float[]>("Score").Take(2).ToArray(); // a model that loads must also score
            });
        });
        output.WriteLine(tally.Summary("ml.Model.Load"));
        Assert.True(tally.Undocumented.Count == 0, "Undocumented exceptions:\n" + string.Join("\n\n", tally.Undocumented));
        Assert.InRange(tally.MaxAllocatedBytes, 0, MaxAllocatedBytes);
    }

    [Fact]
    public void DamagedNetworkFilesAreInvalidDataThroughTheEngineLoader()
    {
        byte[] network = NetworkSerializer.ToBytes(new Network(TensorShape.Image(2, 6, 5),
            [new Conv2D(3, 3, padding: 1), new Relu(), new MaxPool2D(2), new Flatten(), new Dense(6), new Maxout(2), new Dropout(0.2f),
             new Dense(4), new LeakyRelu(0.1f), new Dense(4), new Elu(0.5f), new FeatureScaling([1f, -2f, 0.5f, 3f], [0.5f, 2f, 1f, 0f], clip: 3f),
             new Dense(3), new FeatureScaling([-1f, 0f, 2f], [4f, 1f, 0.25f])], new SoftmaxCrossEntropy(), seed: 5));
        var tally = FuzzEngineFormat(network, Files, seed: 4048, damaged => NetworkSerializer.FromBytes(damaged));
        output.WriteLine(tally.Summary("NetworkSerializer.FromBytes"));
        Assert.True(tally.Undocumented.Count == 0, "Undocumented exceptions:\n" + string.Join("\n\n", tally.Undocumented));
        Assert.InRange(tally.MaxAllocatedBytes, 0, MaxAllocatedBytes);
    }

    [Fact]
    public void DamagedNetworkFilesWithNormalisationAndTheSmoothActivationsAreInvalidData()
    {
        // BatchNorm's running statistics (buffers) and settings, LayerNorm, same padding, global pooling, the smooth activations.
        var network = new Network(TensorShape.Image(2, 6, 5),
            [new Conv2D(3, 3, ConvPadding.Same), new BatchNorm(), new Gelu(), new LayerNorm(), new Conv2D(4, 3, ConvPadding.Same, stride: 2), new Silu(),
             new GlobalAveragePool2D(), new Dense(6), new BatchNorm(momentum: 0.2f), new Selu(), new Dense(4), new Softplus(), new Dense(3)],
            new SoftmaxCrossEntropy(), seed: 6);
        foreach (var norm in network.AllLayers.OfType<BatchNorm>()) Array.Fill(norm.RunningVariance.Value, 0.5f);
        AssertDamagedNetworksFailAsDocumented(network, Files, seed: 5150);
    }

    [Fact]
    public void DamagedNetworkFilesWithAnEnsembleAreInvalidData()
    {
        // The ensemble DeepNet's EnsembleSize makes: the input and target scaling around members of dense, dropout and residual layers.
        var network = new Network(TensorShape.Vector(4),
            [new FeatureScaling([1f, -2f, 0.5f, 3f], [0.5f, 2f, 1f, 0.25f], clip: 3f),
             new Ensemble(new Sequential(new Dense(6), new Relu(), new Dropout(0.1f), new Dense(1)),
                 new Sequential(new Residual(new Dense(5), new Tanh()), new Dense(1)), new Dense(1)),
             new FeatureScaling([-1f], [4f])], new MeanSquaredError(), seed: 7);
        AssertDamagedNetworksFailAsDocumented(network, Files, seed: 6262);
    }

    [Fact]
    public void DamagedNetworkFilesWithPeriodicEmbeddingsAndASmoothedBinaryLossAreInvalidData()
    {
        // Periodic embeddings (their three sizes and four parameters), and the loss tag of a binary network trained with
        // label smoothing, which carries its smoothing as a number.
        var network = new Network(TensorShape.Vector(4),
            [new FeatureScaling([1f, -2f, 0.5f, 3f], [0.5f, 2f, 1f, 0.25f], clip: 3f), new PeriodicEmbedding(frequencies: 4, outputs: 2), new Dense(5), new Relu(), new Dense(1)],
            new SigmoidBinaryCrossEntropy(0.1f), seed: 8);
        AssertDamagedNetworksFailAsDocumented(network, Files / 4, seed: 7373);
    }

    [Fact]
    public void DamagedDeepBeliefNetworkFilesAreInvalidData()
    {
        using var stream = new MemoryStream();
        new DeepBeliefNetwork([new GaussianBernoulliRbm(6, 5, seed: 1), new BernoulliRbm(5, 3, seed: 2)]).Save(stream);
        var tally = FuzzEngineFormat(stream.ToArray(), Files / 4, seed: 77, damaged => DeepBeliefNetwork.Load(new MemoryStream(damaged)));
        output.WriteLine(tally.Summary("DeepBeliefNetwork.Load"));
        Assert.True(tally.Undocumented.Count == 0, "Undocumented exceptions:\n" + string.Join("\n\n", tally.Undocumented));
        Assert.InRange(tally.MaxAllocatedBytes, 0, MaxAllocatedBytes);
    }

    /// <summary>Damages a file of the engine's checksummed envelope in every way, half of them resealed so the parser sees them.</summary>
    /// <summary>Damages <paramref name="network"/>'s file <paramref name="count"/> ways: every load fails with a documented exception, within the allocation bound.</summary>
    private void AssertDamagedNetworksFailAsDocumented(Network network, int count, ulong seed)
    {
        var tally = FuzzEngineFormat(NetworkSerializer.ToBytes(network), count, seed, damaged => NetworkSerializer.FromBytes(damaged));
        output.WriteLine(tally.Summary("NetworkSerializer.FromBytes"));
        Assert.True(tally.Undocumented.Count == 0, "Undocumented exceptions:\n" + string.Join("\n\n", tally.Undocumented));
        Assert.InRange(tally.MaxAllocatedBytes, 0, MaxAllocatedBytes);
    }

    private static FuzzTally FuzzEngineFormat(byte[] file, int count, ulong seed, Action<byte[]> load)
    {
        var tally = new FuzzTally(new HashSet<Type> { typeof(InvalidDataException) }, Timeout);
        var rng = new Rng(seed);
        string[] names = ["bit flips", "truncation", "random range", "random file", "junk appended", "int field", "resealed", "resealed", "resealed"];
        tally.RunAll(count, i =>
        {
            int mutation = i % names.Length;
            byte[] damaged = mutation switch
            {
                0 => Bytes.FlipBits(file, rng),
                1 => file[..rng.NextInt(file.Length)],
                2 => Bytes.OverwriteRange(file, rng),
                3 => Bytes.Random(rng.NextInt(2 * file.Length), rng),
                4 => [.. file, .. Bytes.Random(1 + rng.NextInt(64), rng)],
                5 => Bytes.ExtremeInt(file, rng),
                _ => Bytes.MutateSealedEnvelope(file, rng),
            };
            return (names[mutation], () => load(damaged));
        });
        return tally;
    }

    /// <summary>
    /// A small multiclass DeepNet model saved by ML.NET (its first layer the learned input scaling); the name of this library's entry; data to score. The model
    /// is the DeepNet transformer alone (the labels are keyed beforehand): ML.NET's own MapValueToKey and
    /// MapKeyToValue loaders do not bound what they read (a damaged count makes them throw OverflowException
    /// or try to allocate gigabytes), which no code of this library can prevent. For the same reason the model is
    /// saved without its input schema: ML.NET reads that entry with its BinaryLoader, which on a damaged array length
    /// (the Label's key values) can keep reading past the end of the entry for minutes (seen with 5.0.1).
    /// </summary>
    private static (byte[] Zip, string OwnEntry, IDataView Probe) SavedModel(MLContext ml)
    {
        var data = ml.Data.LoadFromEnumerable(HandData.ManyMulticlass(60));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var model = ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [4], Epochs = 1, BatchSize = 16 }).Fit(keyed);
        using var stream = new MemoryStream();
        ml.Model.Save(model, inputSchema: null, stream);
        byte[] zip = stream.ToArray();
        string own = ZipMutations.Read(zip).First(e => e.Value.AsSpan().IndexOf("MLND"u8) >= 0).Key;
        return (zip, own, keyed);
    }
}
