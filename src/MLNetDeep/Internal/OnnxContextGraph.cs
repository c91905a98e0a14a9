using Microsoft.ML.Model.OnnxConverter;
using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Internal;

/// <summary>
/// The engine's <see cref="OnnxGraphBuilder"/> over ML.NET's converter context, so that a network's
/// layers write their ONNX forms straight into the model <c>ConvertToOnnx</c> is building. Every name
/// it makes starts with "DeepNet." so that it cannot take the place of a pipeline column.
/// </summary>
internal sealed class OnnxContextGraph(OnnxContext ctx) : OnnxGraphBuilder
{
    private const string Prefix = "DeepNet.";

    public override string NewValueName(string prefix) => ctx.AddIntermediateVariable(null, Prefix + prefix, skip: true);

    public override string AddInitializer(string prefix, ReadOnlySpan<float> values, IReadOnlyList<long> dims) =>
        ctx.AddInitializer(values.ToArray(), dims.ToArray(), Prefix + prefix);

    public override string AddInitializer(string prefix, ReadOnlySpan<long> values, IReadOnlyList<long> dims) =>
        ctx.AddInitializer(values.ToArray(), dims.ToArray(), Prefix + prefix);

    public override void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        // The empty domain is ONNX's default one; ML.NET's converter takes null for its machine-learning domain.
        OnnxNode node = ctx.CreateNode(opType, inputs, outputs, ctx.GetNodeName(Prefix + opType), "");
        foreach (OnnxAttribute attribute in attributes)
        {
            switch (attribute.Value)
            {
                case long value: node.AddAttribute(attribute.Name, value); break;
                case float value: node.AddAttribute(attribute.Name, (double)value); break;
                case long[] values: node.AddAttribute(attribute.Name, values); break;
                default: throw new ArgumentException($"Attribute {attribute} has a value of type {attribute.Value.GetType().Name}; ONNX forms use long, float or long[].", nameof(attributes));
            }
        }
    }
}
