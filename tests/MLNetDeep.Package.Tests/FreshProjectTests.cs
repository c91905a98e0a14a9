using Xunit.Abstractions;

namespace MLNetDeep.Package.Tests;

/// <summary>
/// The packages as a new user meets them: pack MLNetDeep, MLNetDeep.Engine and MLNetDeep.Datasets into a
/// local folder, create a console project elsewhere that takes them by PackageReference from that folder
/// only (the machine's own sources stay for Microsoft.ML and the rest), put the README's pipeline example
/// in it as the README has it, run it, and check that it prints the accuracy the README quotes.
/// </summary>
public sealed class FreshProjectTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(8);

    [Fact]
    public void TheReadmePipelineRunsInANewProjectFromTheLocalPackages()
    {
        // A version no earlier run used: NuGet's global cache would otherwise serve an older package of the same id and version.
        string version = $"0.0.0-freshtest.{DateTime.UtcNow.Ticks}";
        string root = Path.Combine(Path.GetTempPath(), "mlnetdeep-fresh-" + Guid.NewGuid().ToString("N"));
        string sources = Path.Combine(root, "sources"), feed = Path.Combine(root, "feed"), app = Path.Combine(root, "app");
        string globalPackages = GlobalPackagesFolder();
        try
        {
            foreach (string dir in new[] { sources, feed, app }) Directory.CreateDirectory(dir);
            // Nothing above the new project may bring in build settings, as nothing does for a user.
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");

            Repository.CopySources(sources);
            foreach (string project in Repository.PackableProjects)
                Succeed(sources, "pack", Path.Combine(sources, project), "-c", "Release", "-o", feed, $"-p:Version={version}");
            string[] packages = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Order().ToArray()!;
            Assert.Equal(new[] { $"MLNetDeep.{version}.nupkg", $"MLNetDeep.Datasets.{version}.nupkg", $"MLNetDeep.Engine.{version}.nupkg" }, packages);

            var example = ReadmeExample.FromReadme(File.ReadAllText(Path.Combine(Repository.Root, "README.md")));
            File.WriteAllText(Path.Combine(app, "FreshApp.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="MLNetDeep" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            // Adds the folder to the machine's sources; no <clear/>, so Microsoft.ML still comes from where it always does.
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="mlnetdeep-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), example.Program);

            Succeed(app, "build", "-c", "Release");
            string assets = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
            Assert.Contains($"\"MLNetDeep.Engine/{version}\"", assets);   // the engine came as a package, not a project
            Assert.DoesNotContain("\"type\": \"project\"", assets);
            string printed = Succeed(app, "run", "-c", "Release", "--no-build");
            Assert.Equal(example.QuotedMicroAccuracy, ReadmeExample.PrintedMicroAccuracy(printed), 4);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            foreach (string id in new[] { "mlnetdeep", "mlnetdeep.engine", "mlnetdeep.datasets" })
            {
                string cached = Path.Combine(globalPackages, id, version);
                if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
                string idFolder = Path.Combine(globalPackages, id);   // left empty when no other version was there
                if (Directory.Exists(idFolder) && !Directory.EnumerateFileSystemEntries(idFolder).Any()) Directory.Delete(idFolder);
            }
        }
    }

    private string Succeed(string directory, params string[] arguments)
    {
        var (exitCode, text) = Dotnet.Run(directory, Step, arguments);
        output.WriteLine($"$ dotnet {string.Join(' ', arguments)}\n{text}");
        Assert.True(exitCode == 0, $"'dotnet {string.Join(' ', arguments)}' exited with {exitCode}:\n{text}");
        return text;
    }

    private static string GlobalPackagesFolder()
    {
        var (exitCode, text) = Dotnet.Run(Path.GetTempPath(), TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list");
        Assert.True(exitCode == 0, "dotnet nuget locals failed:\n" + text);
        const string prefix = "global-packages:";
        string line = text.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..].Trim();
    }
}
