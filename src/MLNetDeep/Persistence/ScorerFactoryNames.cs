using System.Reflection;

namespace MLNetDeep.Persistence;

/// <summary>
/// Names a scorer factory in a model file by type and assembly (no version, so that a newer build of the
/// same assembly still reads old models) and recreates it when the model is loaded.
/// </summary>
internal static class ScorerFactoryNames
{
    /// <summary>The name written for <paramref name="factory"/>.</summary>
    public static string NameOf(IBatchScorerFactory factory)
    {
        Type type = factory.GetType();
        if (type.GetConstructor(Type.EmptyTypes) is null && !type.IsValueType)
        {
            throw new InvalidOperationException(
                $"Scorer factory {type.FullName} has no parameterless constructor, so a saved model could not recreate it.");
        }
        return $"{type.FullName}, {type.Assembly.GetName().Name}";
    }

    /// <summary>Recreates the factory <paramref name="name"/> names; only types that implement the factory interface are created.</summary>
    /// <exception cref="InvalidDataException">The name is malformed, names no loadable type, or a type that is not a factory or cannot be created.</exception>
    public static IBatchScorerFactory Create(string name)
    {
        Type? type;
        try
        {
            type = Type.GetType(name, throwOnError: false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or BadImageFormatException or TypeLoadException or TargetInvocationException)
        {
            // throwOnError: false still throws for a malformed name or an assembly that exists but will not load.
            throw new InvalidDataException($"The model's scorer factory '{name}' cannot be loaded: {e.Message}", e);
        }
        if (type is null)
            throw new InvalidDataException($"The model's scorer factory '{name}' was not found; is its assembly deployed with the application?");
        if (!typeof(IBatchScorerFactory).IsAssignableFrom(type))
            throw new InvalidDataException($"The model names '{name}' as its scorer factory, which is not an {nameof(IBatchScorerFactory)}.");
        try
        {
            return (IBatchScorerFactory)Activator.CreateInstance(type, nonPublic: true)!;
        }
        catch (Exception e) when (e is MemberAccessException or ArgumentException or NotSupportedException or TargetInvocationException)
        {
            throw new InvalidDataException($"The model's scorer factory '{name}' cannot be created: {e.Message}", e);
        }
    }
}
