using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace MLNetDeep.Engine.Onnx;

/// <summary>
/// The engine's own <see cref="OnnxGraphBuilder"/>: collects nodes and initializers into the ONNX
/// protobuf classes and writes a whole model at once, so a form that throws leaves nothing written.
/// </summary>
internal sealed class OnnxModelWriter : OnnxGraphBuilder
{
    /// <summary>The ONNX IR version that goes with opset 12.</summary>
    private const long IrVersion = 7;

    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxModelWriter(string graphName, string description)
    {
        _graph.Name = graphName;
        _graph.DocString = description;
    }

    public override string NewValueName(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        string name = prefix;
        for (int i = 1; !_names.Add(name); i++) name = $"{prefix}_{i}";
        return name;
    }

    public override string AddInitializer(string prefix, ReadOnlySpan<float> values, IReadOnlyList<long> dims)
    {
        var tensor = NewTensor(prefix, TensorProto.Types.DataType.Float, values.Length, dims);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not.");
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public override string AddInitializer(string prefix, ReadOnlySpan<long> values, IReadOnlyList<long> dims)
    {
        var tensor = NewTensor(prefix, TensorProto.Types.DataType.Int64, values.Length, dims);
        foreach (long value in values) tensor.Int64Data.Add(value);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public override void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute> attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        var node = new NodeProto { OpType = opType, Name = NewValueName(opType + "_node"), Domain = "" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var attribute in attributes) node.Attribute.Add(ToProto(attribute));
        _graph.Node.Add(node);
    }

    /// <summary>Declares a graph input of floats, [N, ...<paramref name="sampleDims"/>], and returns its name.</summary>
    public string AddInput(string name, ReadOnlySpan<int> sampleDims)
    {
        if (!_names.Add(name)) throw new ArgumentException($"The name '{name}' is already used in the graph.", nameof(name));
        _graph.Input.Add(FloatValue(name, sampleDims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> as the graph's output, a copy of it named <paramref name="name"/>.</summary>
    public void AddOutput(string value, string name, ReadOnlySpan<int> sampleDims)
    {
        if (!_names.Add(name)) throw new ArgumentException($"The name '{name}' is already used in the graph.", nameof(name));
        AddNode("Identity", [value], [name], []);
        _graph.Output.Add(FloatValue(name, sampleDims));
    }

    /// <summary>Writes the model: this graph at opset <paramref name="opset"/> of the default domain.</summary>
    public void WriteTo(Stream stream, int opset, string producerVersion)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "MLNetDeep",
            ProducerVersion = producerVersion,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        model.WriteTo(stream);
    }

    private TensorProto NewTensor(string prefix, TensorProto.Types.DataType type, int count, IReadOnlyList<long> dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        long size = 1;
        foreach (long d in dims) size *= d;
        if (size != count) throw new ArgumentException($"A tensor of shape [{string.Join(", ", dims)}] holds {size} values; {count} were given.", nameof(dims));
        var tensor = new TensorProto { Name = NewValueName(prefix), DataType = (int)type };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static ValueInfoProto FloatValue(string name, ReadOnlySpan<int> sampleDims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (int d in sampleDims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    private static AttributeProto ToProto(OnnxAttribute attribute)
    {
        var proto = new AttributeProto { Name = attribute.Name };
        switch (attribute.Value)
        {
            case long value:
                proto.Type = AttributeProto.Types.AttributeType.Int;
                proto.I = value;
                break;
            case float value:
                proto.Type = AttributeProto.Types.AttributeType.Float;
                proto.F = value;
                break;
            case long[] values:
                proto.Type = AttributeProto.Types.AttributeType.Ints;
                proto.Ints.AddRange(values);
                break;
            default:
                throw new ArgumentException($"Attribute {attribute.Name} has a value of type {attribute.Value.GetType().Name}; ONNX forms use long, float or long[].", nameof(attribute));
        }
        return proto;
    }
}
