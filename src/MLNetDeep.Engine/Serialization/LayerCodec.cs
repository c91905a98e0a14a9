using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;

namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// Maps each layer type to its tag in model files and back. A layer writes its own
/// hyper-parameters (<see cref="Layer.WriteConfig"/>); the matching read is here, in one table.
/// </summary>
internal static class LayerCodec
{
    public static string Tag(Layer layer) => layer.GetType().Name;

    /// <summary>
    /// Reads a layer's hyper-parameters. <paramref name="maxUnits"/> bounds any size field: a layer
    /// with n units stores at least n weights, so no honest value exceeds the payload's float count.
    /// </summary>
    public static Layer Read(string tag, BinaryReader reader, int maxUnits) => tag switch
    {
        nameof(Dense) => new Dense(Size(reader.ReadInt32(), maxUnits, "units")),
        nameof(Dropout) => new Dropout(reader.ReadSingle()),
        nameof(Sigmoid) => new Sigmoid(),
        nameof(Tanh) => new Tanh(),
        nameof(Relu) => new Relu(),
        nameof(Identity) => new Identity(),
        nameof(Softmax) => new Softmax(),
        nameof(LeakyRelu) => new LeakyRelu(reader.ReadSingle()),
        nameof(Elu) => new Elu(reader.ReadSingle()),
        nameof(Maxout) => new Maxout(Size(reader.ReadInt32(), 1 << 16, "pieces")),
        // Arguments are read left to right, the order WriteConfig wrote them in.
        nameof(Conv2D) => new Conv2D(Size(reader.ReadInt32(), maxUnits, "filters"), Size(reader.ReadInt32(), maxUnits, "kernel size"),
            Size(reader.ReadInt32(), MaxWindowStep, "stride"), Bounded(reader.ReadInt32(), 0, MaxWindowStep, "padding")),
        nameof(MaxPool2D) => new MaxPool2D(Size(reader.ReadInt32(), MaxWindowStep, "pool size"), Size(reader.ReadInt32(), MaxWindowStep, "stride")),
        nameof(AveragePool2D) => new AveragePool2D(Size(reader.ReadInt32(), MaxWindowStep, "pool size"), Size(reader.ReadInt32(), MaxWindowStep, "stride")),
        nameof(Flatten) => new Flatten(),
        _ => throw new InvalidDataException($"Unknown layer type '{tag}'."),
    };

    /// <summary>
    /// The bound on a window's stride, padding and pooling size: far beyond any image the input
    /// shape allows, and small enough that sizes computed from it cannot overflow.
    /// </summary>
    private const int MaxWindowStep = 1 << 16;

    private static int Size(int value, int max, string what) => Bounded(value, 1, max, what);

    private static int Bounded(int value, int min, int max, string what) =>
        value >= min && value <= max ? value : throw new InvalidDataException($"A layer's {what} {value} is outside {min}..{max}.");
}
