// Usage: MLNetDeep.Publicizer <output directory> <assembly path>... [--search <directory>]...
// Writes, for each input assembly, a copy under the output directory with every type and member
// made public. The copy is for the compiler only: it is never shipped or loaded at run time.
// The search directories let Mono.Cecil resolve referenced assemblies (enum constants need them).
using MLNetDeep.Publicizer;

var inputs = new List<string>();
var searchDirectories = new List<string>();
for (int i = 1; i < args.Length; i++)
{
    if (args[i] == "--search" && i + 1 < args.Length)
        searchDirectories.Add(args[++i]);
    else
        inputs.Add(args[i]);
}
if (args.Length < 2 || inputs.Count == 0)
{
    Console.Error.WriteLine("usage: MLNetDeep.Publicizer <output directory> <assembly path>... [--search <directory>]...");
    return 2;
}

string outputDirectory = args[0];
Directory.CreateDirectory(outputDirectory);
foreach (string input in inputs)
{
    string output = Path.Combine(outputDirectory, Path.GetFileName(input));
    int changed = AssemblyPublicizer.Publicize(input, output, searchDirectories);
    Console.WriteLine($"Publicized {Path.GetFileName(input)}: {changed} types and members opened -> {output}");
}
return 0;
