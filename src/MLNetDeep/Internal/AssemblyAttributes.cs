using System.Runtime.CompilerServices;
using Microsoft.ML;
using MLNetDeep;
using MLNetDeep.Internal;

// Let this assembly reach the internals that Internal/ uses, at run time.
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Data")]

// How MLContext.Model.Load finds our loader: the saved model names this assembly (VersionInfo's
// loaderAssemblyName), Model.Load registers it, and this attribute maps the loader signature to ModelPersistence.Create.
[assembly: LoadableClass(typeof(NetworkPredictionTransformer), typeof(ModelPersistence), null, typeof(SignatureLoadModel),
    "MLNetDeep Network Prediction Transformer", ModelPersistence.LoaderSignature)]
