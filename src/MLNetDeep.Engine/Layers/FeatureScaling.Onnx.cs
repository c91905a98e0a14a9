using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Layers;

// FeatureScaling as Sub and Mul by per-feature constants on the flat sample (broadcast over the batch), so a flat
// or an image input both work; an image comes back to its shape. Smooth clipping as z / Sqrt(1 + (z / clip)²).
public sealed partial class FeatureScaling
{
    internal override string WriteOnnx(OnnxGraphBuilder graph, string input)
    {
        string x = InputShape.Rank == 1 ? input : graph.Apply("Flatten", input, OnnxAttribute.Int("axis", 1));
        string centre = graph.AddInitializer("scaling_centre", Centre, [InputShape.Size]);
        string scale = graph.AddInitializer("scaling_scale", Scale, [InputShape.Size]);
        string z = graph.Apply("Mul", [graph.Apply("Sub", [x, centre]), scale]);
        if (Clip > 0) z = SmoothClip(graph, z);
        return InputShape.Rank == 1 ? z : graph.Reshape(z, InputShape);
    }

    private string SmoothClip(OnnxGraphBuilder graph, string z)
    {
        string inverseClip = graph.AddInitializer("scaling_inverse_clip", [1f / Clip], [1]);
        string one = graph.AddInitializer("scaling_one", [1f], [1]);
        string t = graph.Apply("Mul", [z, inverseClip]);
        string root = graph.Apply("Sqrt", [graph.Apply("Add", [graph.Apply("Mul", [t, t]), one])]);
        return graph.Apply("Div", [z, root]);
    }
}
