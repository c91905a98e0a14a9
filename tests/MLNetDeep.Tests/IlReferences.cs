using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace MLNetDeep.Tests;

/// <summary>
/// Lists what the methods of an assembly reference in their IL (types, methods, fields), resolved
/// against the assemblies actually loaded, with the source file each method comes from.
/// </summary>
internal static class IlReferences
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(op => op.Value);

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every method body of <paramref name="assembly"/> with its source file (or null when the PDB has none).</summary>
    public static IEnumerable<(MethodBase Method, string? SourceFile)> Methods(Assembly assembly)
    {
        string pdb = Path.ChangeExtension(assembly.Location, ".pdb");
        using var provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdb));
        MetadataReader reader = provider.GetMetadataReader();
        var methods = new List<(MethodBase, string?)>();
        foreach (Type type in assembly.GetTypes())
        {
            foreach (MethodBase method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                var handle = MetadataTokens.MethodDefinitionHandle(method.MetadataToken & 0xFFFFFF);
                MethodDebugInformation info = reader.GetMethodDebugInformation(handle.ToDebugInformationHandle());
                string? file = info.Document.IsNil ? null : reader.GetString(reader.GetDocument(info.Document).Name);
                methods.Add((method, file));
            }
        }
        return methods;
    }

    /// <summary>The members and types <paramref name="method"/>'s IL names; throws when one no longer resolves.</summary>
    public static IEnumerable<MemberInfo> ReferencedBy(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            OpCode op = OpCodesByValue[value];
            if (op.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
                yield return method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArgs, methodArgs)!;
            at += OperandSize(op.OperandType, il, at);
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
