using System.Collections.Concurrent;
using System.Reflection;
using MLNetDeep.Engine.Layers;

namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// The layer types a model file may hold, each under its tag: every layer of the engine that implements
/// <see cref="ILayerFormat{TSelf}"/>, found once by reflection, and any a program adds with <see cref="Register{T}"/>.
/// </summary>
public static class LayerRegistry
{
    private static readonly ConcurrentDictionary<string, Entry> s_byTag = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, Entry> s_byType = new();

    static LayerRegistry()
    {
        var register = typeof(LayerRegistry).GetMethod(nameof(Register))!;
        foreach (var type in typeof(Layer).Assembly.GetTypes())
        {
            if (type.IsAbstract || !type.IsSubclassOf(typeof(Layer))) continue;
            if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILayerFormat<>)))
                register.MakeGenericMethod(type).Invoke(null, null);
        }
    }

    /// <summary>Every registered layer type, in no particular order.</summary>
    public static IReadOnlyCollection<Type> Types => [.. s_byType.Keys];

    /// <summary>Registers <typeparamref name="T"/> under its <see cref="ILayerFormat{TSelf}.FormatTag"/>; registering it again does nothing.</summary>
    /// <exception cref="InvalidOperationException">Another type has the same tag.</exception>
    public static void Register<T>() where T : Layer, ILayerFormat<T>
    {
        var entry = new Entry(typeof(T), T.FormatTag, T.FormatVersion, (reader, version) => T.ReadConfig(reader, version));
        if (string.IsNullOrEmpty(entry.Tag) || entry.Tag.Length > 64) throw new InvalidOperationException($"{typeof(T).Name}'s format tag must have 1 to 64 characters.");
        if (entry.Version < 1) throw new InvalidOperationException($"{typeof(T).Name}'s format version must be at least 1.");
        var existing = s_byTag.GetOrAdd(entry.Tag, entry);
        if (existing.Type != typeof(T))
            throw new InvalidOperationException($"The layer tag '{entry.Tag}' belongs to {existing.Type.Name}; {typeof(T).Name} needs another.");
        s_byType.TryAdd(typeof(T), entry);
    }

    /// <summary>The tag and configuration version of <paramref name="layer"/>'s type.</summary>
    /// <exception cref="InvalidOperationException">The type has no file form.</exception>
    internal static (string Tag, int Version) FormatOf(Layer layer) =>
        s_byType.TryGetValue(layer.GetType(), out var entry) ? (entry.Tag, entry.Version)
            : throw new InvalidOperationException($"{layer} ({layer.GetType().Name}) has no file form: implement ILayerFormat<{layer.GetType().Name}> and register it with LayerRegistry.Register.");

    /// <summary>Reads the configuration of a layer of <paramref name="tag"/> written at <paramref name="version"/>.</summary>
    /// <exception cref="InvalidDataException">The tag is unknown or the version newer than this build reads.</exception>
    internal static Layer Read(string tag, int version, LayerReader reader)
    {
        if (!s_byTag.TryGetValue(tag, out var entry)) throw new InvalidDataException($"Unknown layer type '{tag}'.");
        if (version < 1 || version > entry.Version)
            throw new InvalidDataException($"Layer '{tag}' is stored in version {version}; this build reads versions 1 to {entry.Version}.");
        return entry.Read(reader, version);
    }

    private sealed record Entry(Type Type, string Tag, int Version, Func<LayerReader, int, Layer> Read);
}
