using Microsoft.ML;
using MLNetDeep.Engine.Serialization;

namespace MLNetDeep;

/// <summary>
/// Model files that are never half-written: <c>mlContext.Model.SaveAtomic(model, schema, path)</c>.
/// </summary>
/// <remarks>
/// <para>
/// <c>mlContext.Model.Save(model, schema, path)</c> creates the file first and writes the zip archive into it
/// entry by entry; when a transformer fails to save, or the disk fills, or the process dies, what remains
/// under that name is a partial archive, and an earlier model of that name is already gone.
/// <see cref="SaveAtomic"/> writes to a temporary file in the same folder and renames it over the target
/// only when the whole model is written and flushed.
/// </para>
/// <para>
/// What loading a damaged file raises. <c>mlContext.Model.Load</c> is ML.NET's own reader. On a truncated,
/// bit-flipped, oversized or foreign DeepNet model file it raises one of these, or a type derived from one:
/// <list type="bullet">
/// <item><see cref="InvalidDataException"/>: the zip archive is damaged, or the DeepNet part of the model is. Every
/// error of this library's reader, and of the engine's reader of the network inside, is of this type and says what is wrong.</item>
/// <item><see cref="FormatException"/>: ML.NET's model header, string table or entry layout is damaged.</item>
/// <item><see cref="IOException"/>: an entry ends early (<see cref="EndOfStreamException"/>), or the damaged header names
/// a loader assembly that does not exist or is not a valid name (<see cref="FileNotFoundException"/>, <see cref="FileLoadException"/>).</item>
/// <item><see cref="InvalidOperationException"/>: ML.NET finds an entry inconsistent, or no loader for a name it reads.</item>
/// <item><see cref="ArgumentException"/>: ML.NET's checks on a value it decoded (<see cref="ArgumentOutOfRangeException"/>;
/// <see cref="System.Globalization.CultureNotFoundException"/> for a damaged assembly name).</item>
/// <item><see cref="NotSupportedException"/>: the zip names a compression method it cannot read.</item>
/// </list>
/// ML.NET calls each loader by reflection and does not unwrap what it throws: an error raised while a transformer
/// loads arrives inside one <see cref="System.Reflection.TargetInvocationException"/> per level of the model (the
/// chain, then the transformer), and the cause, one of the above, is the innermost exception. A test loads ten
/// thousand damaged DeepNet models and checks that nothing else escapes, that no load hangs, and that none
/// allocates more than 64 MB (the most measured is about 1 MB).
/// </para>
/// <para>
/// ML.NET's own transformers in the same file are read by ML.NET's code, which does not bound every count it
/// reads: a damaged MapValueToKey or MapKeyToValue entry has been seen to raise <see cref="OverflowException"/>,
/// or to try to allocate gigabytes (<see cref="OutOfMemoryException"/>). Load model files only from where you
/// would load code.
/// </para>
/// </remarks>
public static class ModelFileCatalog
{
    /// <summary>
    /// Saves <paramref name="model"/> as <c>mlContext.Model.Save</c> does, but all or nothing: a failure leaves
    /// no file under <paramref name="filePath"/> that looks like a model, and an earlier file of that name intact.
    /// </summary>
    /// <param name="catalog">The model operations catalog: <c>mlContext.Model</c>.</param>
    /// <param name="model">The trained model.</param>
    /// <param name="inputSchema">The schema of the data the model was trained on, saved with it; may be null.</param>
    /// <param name="filePath">The model file to create or replace; its folder must exist.</param>
    /// <exception cref="IOException">The folder does not exist or cannot be written, or the disk is full.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file may not be written.</exception>
    /// <exception cref="InvalidOperationException">A transformer of the model cannot be saved (ML.NET's own error).</exception>
    public static void SaveAtomic(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        AtomicFile.Write(filePath, stream => catalog.Save(model, inputSchema, stream));
    }
}
