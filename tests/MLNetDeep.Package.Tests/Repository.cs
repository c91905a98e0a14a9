namespace MLNetDeep.Package.Tests;

/// <summary>Where the repository is, and the pieces of it the fresh project is made from.</summary>
internal static class Repository
{
    /// <summary>The folder that holds MLNetDeep.sln, found upwards from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The packable projects, as paths relative to the root.</summary>
    public static readonly string[] PackableProjects =
    [
        "src/MLNetDeep.Engine/MLNetDeep.Engine.csproj",
        "src/MLNetDeep.Datasets/MLNetDeep.Datasets.csproj",
        "src/MLNetDeep/MLNetDeep.csproj",
    ];

    /// <summary>
    /// Copies what packing needs (the top-level build files, the README and src/ without bin and obj) to
    /// <paramref name="destination"/>, so the packages are built apart from this solution's own outputs,
    /// which other tests are using at the same time.
    /// </summary>
    public static void CopySources(string destination)
    {
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props", "nuget.config", "README.md" })
            if (File.Exists(Path.Combine(Root, file))) File.Copy(Path.Combine(Root, file), Path.Combine(destination, file));
        CopyTree(Path.Combine(Root, "src"), Path.Combine(destination, "src"));
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (string directory in Directory.GetDirectories(source))
        {
            string name = Path.GetFileName(directory);
            if (name is "bin" or "obj") continue;
            CopyTree(directory, Path.Combine(destination, name));
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLNetDeep.sln"))) return dir.FullName;
        throw new InvalidOperationException("MLNetDeep.sln not found above " + AppContext.BaseDirectory);
    }
}
