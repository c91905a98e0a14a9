using System.Reflection;
using Microsoft.ML;

namespace MLNetDeep.Tests;

/// <summary>The SchemaShape of a schema, as EstimatorChain hands it to an estimator's GetOutputSchema.</summary>
internal static class Shapes
{
    // SchemaShape.Create is internal.
    public static SchemaShape Of(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, [schema])!;
}
