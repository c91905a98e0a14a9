using MLNetDeep.Engine.Losses;

namespace MLNetDeep.Engine.Onnx;

/// <summary>
/// The ONNX form of what a loss does to the raw outputs at prediction (<see cref="Loss.Activate"/>):
/// softmax over each sample for <see cref="SoftmaxCrossEntropy"/>, the logistic sigmoid for
/// <see cref="SigmoidBinaryCrossEntropy"/>, nothing for <see cref="MeanSquaredError"/>.
/// </summary>
internal static class LossOnnxForm
{
    /// <summary>Adds the activation of <paramref name="loss"/> to <paramref name="raw"/>, [N, outputs], and returns the result's name.</summary>
    /// <exception cref="NotSupportedException">The loss has no ONNX form; the message names it.</exception>
    public static string WriteActivation(Loss loss, OnnxGraphBuilder graph, string raw) => loss switch
    {
        SoftmaxCrossEntropy => graph.Apply("Softmax", raw, OnnxAttribute.Int("axis", 1)),
        SigmoidBinaryCrossEntropy => graph.Apply("Sigmoid", raw),
        MeanSquaredError => raw,
        _ => throw new NotSupportedException($"The loss {loss} ({loss.GetType().FullName}) has no ONNX form for its prediction; export the raw outputs (activate: false) or use a built-in loss."),
    };
}
