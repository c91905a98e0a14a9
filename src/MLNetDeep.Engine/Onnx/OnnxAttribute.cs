namespace MLNetDeep.Engine.Onnx;

/// <summary>
/// One attribute of an ONNX node: a name and an integer, a float or a list of integers, the only
/// kinds the layers' forms need.
/// </summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, object value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Value = value;
    }

    /// <summary>The attribute's name, as the operator's specification spells it (e.g. "transB").</summary>
    public string Name { get; }

    /// <summary>The value: a <see cref="long"/>, a <see cref="float"/> or a <see cref="long"/>[].</summary>
    public object Value { get; }

    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, value);

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, value);

    /// <summary>A list-of-integers attribute; the values are copied.</summary>
    public static OnnxAttribute Ints(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, values.ToArray());
    }

    /// <inheritdoc/>
    public override string ToString() => Value is long[] list ? $"{Name}=[{string.Join(", ", list)}]" : $"{Name}={Value}";
}
