using System.Text.RegularExpressions;

namespace MLNetDeep.Engine.Tests.Architecture;

/// <summary>
/// Rules of the source tree that the compiler cannot check: kernels are the only code that knows about SIMD and
/// threads, and every C# file is short enough to hold in the head.
/// </summary>
public class SourceRulesTests
{
    /// <summary>The repository's top folder: the one with MLNetDeep.sln above the test's binaries.</summary>
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MLNetDeep.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"No MLNetDeep.sln above {AppContext.BaseDirectory}.");
    }

    private static IEnumerable<string> Sources(params string[] folders) =>
        folders.Select(f => Path.Combine(Root(), f)).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    // SIMD types and intrinsics, and every way of starting, signalling or synchronising threads.
    private static readonly Regex s_simdOrThreads = new(
        @"System\.Runtime\.Intrinsics|\bVector(128|256|512)?<|\bVector(128|256|512)\.|\bnew Thread\b|\bThreadPool\b|\bTask\.(Run|Factory)|\bParallel\.|\bInterlocked\b|\bMonitor\.|\[ThreadStatic\]|\bManualResetEvent|\bSemaphoreSlim\b|\block\s*\(\s*\w|\bIParallelWork\b|\bWorkerPool\b|\.Pool\b",
        RegexOptions.Compiled);

    [Fact]
    public void NothingOutsideTheKernelsTouchesSimdOrThreads()
    {
        string kernels = $"{Path.DirectorySeparatorChar}MLNetDeep.Engine{Path.DirectorySeparatorChar}Kernels{Path.DirectorySeparatorChar}";
        var offenders = new List<string>();
        foreach (string file in Sources("src").Where(f => !f.Contains(kernels)))
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                string code = lines[i].Split("//")[0];
                if (s_simdOrThreads.IsMatch(code)) offenders.Add($"{Path.GetRelativePath(Root(), file)}:{i + 1}: {lines[i].Trim()}");
            }
        }
        Assert.True(offenders.Count == 0, "SIMD or threads outside src/MLNetDeep.Engine/Kernels/:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void NoCSharpFileIsLongerThan400Lines()
    {
        var long_ = Sources("src", "tests", "samples", "bench")
            .Select(f => (File: Path.GetRelativePath(Root(), f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 400).Select(f => $"{f.File} ({f.Lines} lines)").ToArray();
        Assert.True(long_.Length == 0, "Files over 400 lines: " + string.Join(", ", long_));
    }
}
