using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetDeep.Internal;

/// <summary>
/// The MLContext behind a trainer catalog. ML.NET's catalogs expose it only through the internal
/// IInternalCatalog interface, which its own catalog extension methods use the same way.
/// </summary>
internal static class CatalogEnvironment
{
    public static IHostEnvironment Of(object catalog) =>
        catalog is IInternalCatalog internalCatalog
            ? internalCatalog.Environment
            : throw new ArgumentException($"{catalog?.GetType().Name ?? "null"} is not an ML.NET catalog.", nameof(catalog));
}
