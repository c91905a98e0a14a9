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
    public static IBatchScorerFactory Create(string name)
    {
        Type type = Type.GetType(name, throwOnError: false)
            ?? throw new InvalidDataException($"The model's scorer factory '{name}' was not found; is its assembly deployed with the application?");
        if (!typeof(IBatchScorerFactory).IsAssignableFrom(type))
            throw new InvalidDataException($"The model names '{name}' as its scorer factory, which is not an {nameof(IBatchScorerFactory)}.");
        return (IBatchScorerFactory)Activator.CreateInstance(type, nonPublic: true)!;
    }
}
