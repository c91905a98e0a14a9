namespace MLNetDeep;

/// <summary>
/// The simplest scorer: a dense affine map, outputs = W · inputs + b, computed row by row in float.
/// A baseline and the stand-in the tests use until the network engine's scorer exists.
/// </summary>
internal sealed class AffineScorer : IBatchScorer
{
    private readonly float[] _weights;
    private readonly float[] _bias;

    /// <summary>Creates the map; <paramref name="weights"/> is row-major, <c>outputSize × inputSize</c>.</summary>
    public AffineScorer(int inputSize, float[] weights, float[] bias)
    {
        if (inputSize <= 0 || bias.Length == 0 || weights.Length != inputSize * bias.Length)
            throw new ArgumentException($"Weights must be {bias.Length} × {inputSize}; found {weights.Length} values.", nameof(weights));
        InputSize = inputSize;
        _weights = weights;
        _bias = bias;
    }

    public int InputSize { get; }

    public int OutputSize => _bias.Length;

    public void Score(ReadOnlySpan<float> inputs, int batchSize, Span<float> outputs)
    {
        for (int row = 0; row < batchSize; row++)
        {
            ReadOnlySpan<float> x = inputs.Slice(row * InputSize, InputSize);
            for (int o = 0; o < OutputSize; o++)
            {
                ReadOnlySpan<float> w = _weights.AsSpan(o * InputSize, InputSize);
                float sum = _bias[o];
                for (int i = 0; i < InputSize; i++)
                    sum += w[i] * x[i];
                outputs[row * OutputSize + o] = sum;
            }
        }
    }
}
