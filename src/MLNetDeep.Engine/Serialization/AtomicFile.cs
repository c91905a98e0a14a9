namespace MLNetDeep.Engine.Serialization;

/// <summary>
/// Writes a file all or nothing: the content goes to a hidden temporary file in the same folder,
/// is flushed to disk, and only then renamed over the target. A failure at any point (the writer
/// throws, the disk fills, the process dies) leaves no file under the target name that could be
/// mistaken for a complete one, and an earlier file of that name as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>The extension of the temporary files, which a crash may leave behind (they never carry the target's name).</summary>
    public const string TemporaryExtension = ".tmp";

    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="write"/> writes to the stream it is given.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="write">Writes the whole content; any exception it throws cancels the save and is rethrown.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The folder does not exist or cannot be written, or the disk is full.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the target file may not be written.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + TemporaryExtension);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
