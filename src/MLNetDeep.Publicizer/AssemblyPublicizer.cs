using Mono.Cecil;

namespace MLNetDeep.Publicizer;

/// <summary>Copies an assembly with every type and member made public; nothing else changes.</summary>
internal static class AssemblyPublicizer
{
    /// <summary>
    /// Publicizes <paramref name="inputPath"/> into <paramref name="outputPath"/>; returns how many items changed.
    /// <paramref name="searchDirectories"/> hold the assemblies it references.
    /// </summary>
    public static int Publicize(string inputPath, string outputPath, IEnumerable<string> searchDirectories)
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(inputPath)));
        foreach (string directory in searchDirectories)
            resolver.AddSearchDirectory(directory);

        // Read everything into memory first so that the output may overwrite the input's folder safely.
        using var module = ModuleDefinition.ReadModule(
            new MemoryStream(File.ReadAllBytes(inputPath)), new ReaderParameters { AssemblyResolver = resolver });
        int changed = 0;
        foreach (TypeDefinition type in module.GetTypes())
        {
            if (IsCompilerEmbedded(type))
                continue;
            changed += OpenType(type);
            changed += OpenMembers(type);
        }

        // Write to a temporary file then move it, so that an interrupted build never leaves half a file.
        string temporary = outputPath + ".tmp";
        try
        {
            module.Write(temporary);
            File.Move(temporary, outputPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return changed;
    }

    // Compiler-emitted polyfills (NullableAttribute, IsReadOnlyAttribute, <PrivateImplementationDetails>...)
    // stay internal: made public they would clash with the same types in the framework.
    private static bool IsCompilerEmbedded(TypeDefinition type) =>
        type.Name.StartsWith('<')
        || type.Namespace.StartsWith("System", StringComparison.Ordinal)
        || type.Namespace.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
        || type.CustomAttributes.Any(a => a.AttributeType.FullName is
            "Microsoft.CodeAnalysis.EmbeddedAttribute" or "System.Runtime.CompilerServices.CompilerGeneratedAttribute");

    private static int OpenType(TypeDefinition type)
    {
        TypeAttributes wanted = type.IsNested ? TypeAttributes.NestedPublic : TypeAttributes.Public;
        if ((type.Attributes & TypeAttributes.VisibilityMask) == wanted)
            return 0;
        type.Attributes = (type.Attributes & ~TypeAttributes.VisibilityMask) | wanted;
        return 1;
    }

    private static int OpenMembers(TypeDefinition type)
    {
        int changed = 0;
        foreach (MethodDefinition method in type.Methods)
        {
            if ((method.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public)
                continue;
            method.Attributes = (method.Attributes & ~MethodAttributes.MemberAccessMask) | MethodAttributes.Public;
            changed++;
        }

        // A field-like event's backing field has the event's name: opening it would make every use ambiguous.
        var eventNames = type.Events.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (FieldDefinition field in type.Fields)
        {
            if ((field.Attributes & FieldAttributes.FieldAccessMask) == FieldAttributes.Public || eventNames.Contains(field.Name))
                continue;
            field.Attributes = (field.Attributes & ~FieldAttributes.FieldAccessMask) | FieldAttributes.Public;
            changed++;
        }
        return changed;
    }
}
