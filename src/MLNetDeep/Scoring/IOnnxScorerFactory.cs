using MLNetDeep.Engine.Onnx;

namespace MLNetDeep;

/// <summary>
/// A scorer factory whose models have an ONNX form: what its scorers compute, written as ONNX nodes.
/// <c>ConvertToOnnx</c> exports a <see cref="NetworkPredictionTransformer"/> through it, and refuses,
/// naming the factory, when the transformer's factory is not one.
/// </summary>
internal interface IOnnxScorerFactory
{
    /// <summary>
    /// Adds to <paramref name="graph"/> the nodes that compute, from <paramref name="features"/>
    /// (floats [N, InputSize]), what <see cref="IBatchScorer.Score"/> writes for the model in
    /// <paramref name="payload"/>, and returns the name of that value (floats [N, OutputSize]).
    /// </summary>
    /// <exception cref="NotSupportedException">Part of the model has no ONNX form; the message names it.</exception>
    string WriteOnnx(ReadOnlyMemory<byte> payload, OnnxGraphBuilder graph, string features);
}
