using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Onnx;

/// <summary>
/// Where a network's ONNX form is written: constant tensors and nodes of the default ONNX domain,
/// at the opset <see cref="NetworkOnnxExport.OpsetVersion"/>. Values are referred to by name; every
/// value a form reads or writes has the batch as its first dimension. The engine's own exporter
/// implements it over an ONNX model file, and a host such as an ML.NET converter context can
/// implement it over its own graph, so that each layer's form is written once for both.
/// </summary>
/// <remarks>
/// A layer's form reads one named value of shape [N, ...InputShape] and returns the name of the
/// value it computes, of shape [N, ...OutputShape]. A container's form calls its children's forms
/// in turn, passing each the name the previous one returned.
/// </remarks>
public abstract class OnnxGraphBuilder
{
    /// <summary>A name no other value or initializer of the graph has, starting with <paramref name="prefix"/>.</summary>
    public abstract string NewValueName(string prefix);

    /// <summary>Adds a constant float tensor of shape <paramref name="dims"/> (row-major) and returns its name.</summary>
    public abstract string AddInitializer(string prefix, ReadOnlySpan<float> values, IReadOnlyList<long> dims);

    /// <summary>Adds a constant 64-bit integer tensor of shape <paramref name="dims"/> and returns its name.</summary>
    public abstract string AddInitializer(string prefix, ReadOnlySpan<long> values, IReadOnlyList<long> dims);

    /// <summary>
    /// Adds a node of the default ONNX domain that computes <paramref name="outputs"/> from
    /// <paramref name="inputs"/>; the output names must be new (see <see cref="NewValueName"/>).
    /// </summary>
    public abstract void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute> attributes);

    /// <summary>Adds a node with one output, named after the operator, and returns that name.</summary>
    public string Apply(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        string output = NewValueName(opType);
        AddNode(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Adds a node of one input and one output and returns the output's name.</summary>
    public string Apply(string opType, string input, params OnnxAttribute[] attributes) => Apply(opType, [input], attributes);

    /// <summary>Reshapes <paramref name="input"/> to [N, ...<paramref name="sampleShape"/>], the batch size N kept as it is.</summary>
    public string Reshape(string input, TensorShape sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        var shape = new long[sampleShape.Rank + 1];
        shape[0] = -1;
        for (int i = 0; i < sampleShape.Rank; i++) shape[i + 1] = sampleShape[i];
        string target = AddInitializer("shape", shape, [shape.Length]);
        return Apply("Reshape", [input, target]);
    }
}
