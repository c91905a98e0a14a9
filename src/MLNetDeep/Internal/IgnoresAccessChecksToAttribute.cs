namespace System.Runtime.CompilerServices;

/// <summary>
/// Tells the runtime that this assembly may use the internals of the named assembly. The runtime honours
/// it; the compiler does not, which is why the build compiles against publicized copies (see README.md).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
{
    /// <summary>The assembly whose internals this one uses.</summary>
    public string AssemblyName { get; } = assemblyName;
}
