using System.Globalization;
using System.Text.RegularExpressions;

namespace MLNetDeep.Package.Tests;

/// <summary>The README's pipeline example, taken from README.md itself so that the test follows the README.</summary>
internal sealed partial record ReadmeExample(string Code, double QuotedMicroAccuracy)
{
    /// <summary>The C# block under "## In an ML.NET pipeline", and the MicroAccuracy its comment quotes.</summary>
    public static ReadmeExample FromReadme(string readme)
    {
        int section = readme.IndexOf("## In an ML.NET pipeline", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no section '## In an ML.NET pipeline'.");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md's pipeline section has no ```csharp block.");
        start += "```csharp\n".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        string code = readme[start..end];
        var quoted = QuotedAccuracy().Match(code);
        Assert.True(quoted.Success, "README.md's pipeline example no longer quotes its MicroAccuracy in a comment.");
        return new ReadmeExample(code, double.Parse(quoted.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The example as a program: the README's lines, then one that prints what the test checks.</summary>
    public string Program => Code + "\nSystem.Console.WriteLine(\"FRESH-PROJECT MicroAccuracy \" + metrics.MicroAccuracy.ToString(\"F4\", System.Globalization.CultureInfo.InvariantCulture));\n";

    /// <summary>The MicroAccuracy the program printed.</summary>
    public static double PrintedMicroAccuracy(string output)
    {
        var printed = PrintedAccuracy().Match(output);
        Assert.True(printed.Success, "The fresh project printed no MicroAccuracy:\n" + output);
        return double.Parse(printed.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"//\s*MicroAccuracy\s+([0-9.]+)")]
    private static partial Regex QuotedAccuracy();

    [GeneratedRegex(@"FRESH-PROJECT MicroAccuracy ([0-9.]+)")]
    private static partial Regex PrintedAccuracy();
}
