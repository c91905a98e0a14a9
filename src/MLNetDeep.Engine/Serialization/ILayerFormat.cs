using MLNetDeep.Engine.Layers;

namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// The file form of a layer type, declared by the type itself: <see cref="LayerRegistry"/> finds every layer of the
/// engine that implements it, so a new layer type is saved and loaded without editing any list. The layer writes
/// its hyper-parameters in <see cref="Layer.WriteConfig"/>; the model file stores its parameters and buffers after them.
/// </summary>
/// <typeparam name="TSelf">The layer type.</typeparam>
public interface ILayerFormat<TSelf> where TSelf : Layer, ILayerFormat<TSelf>
{
    /// <summary>The tag that names the type in model files: never change it, saved models carry it.</summary>
    static abstract string FormatTag { get; }

    /// <summary>The version of the configuration <see cref="Layer.WriteConfig"/> writes; raise it when the layout changes.</summary>
    static abstract int FormatVersion { get; }

    /// <summary>
    /// Reads a configuration of <paramref name="version"/> (1 to <see cref="FormatVersion"/>) and returns the layer, not yet built.
    /// Every size read must be bounded through <paramref name="reader"/>: a damaged file is an <see cref="InvalidDataException"/>.
    /// </summary>
    static abstract TSelf ReadConfig(LayerReader reader, int version);
}
