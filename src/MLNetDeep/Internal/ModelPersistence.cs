using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLNetDeep.Persistence;

namespace MLNetDeep.Internal;

/// <summary>
/// Writes and reads a <see cref="NetworkPredictionTransformer"/> inside an ML.NET model file, through
/// ModelSaveContext and ModelLoadContext (whose members are internal).
/// </summary>
internal static class ModelPersistence
{
    /// <summary>
    /// The name ML.NET's catalog finds our loader by (24 Latin-1 characters at most, as the model header
    /// stores it); never change it, saved models carry it.
    /// </summary>
    public const string LoaderSignature = "MLNetDeepNetPredictor";

    /// <summary>Writes the transformer's header and state.</summary>
    public static void Save(ModelSaveContext ctx, TransformerState state)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        state.Write(ctx.Writer);
    }

    /// <summary>The loader ML.NET's catalog calls (see AssemblyAttributes.cs); the name and signature are fixed by ML.NET.</summary>
    private static NetworkPredictionTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.CheckAtModel(GetVersionInfo());
        return NetworkPredictionTransformer.FromState(env, TransformerState.Read(ctx.Reader));
    }

    // Versions: 0x00010001 is the first format (see TransformerState). The loader assembly is this one,
    // so that Model.Load in a new process registers it by itself.
    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "MLNDNETP",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(ModelPersistence).Assembly.FullName,
        loaderSignature: LoaderSignature);
}
