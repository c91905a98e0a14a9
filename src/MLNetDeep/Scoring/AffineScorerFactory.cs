using System.Buffers.Binary;

namespace MLNetDeep;

/// <summary>
/// Makes <see cref="AffineScorer"/>s from a payload of little-endian int32 input size, int32 output size,
/// then the weights (row-major, outputs × inputs) and the biases as float32.
/// </summary>
internal sealed class AffineScorerFactory : IBatchScorerFactory
{
    /// <summary>The payload for the given map.</summary>
    public static byte[] CreatePayload(int inputSize, float[] weights, float[] bias)
    {
        _ = new AffineScorer(inputSize, weights, bias); // validates the sizes
        var payload = new byte[8 + 4 * (weights.Length + bias.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, inputSize);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), bias.Length);
        int offset = 8;
        foreach (float value in weights.Concat(bias))
        {
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(offset), value);
            offset += 4;
        }
        return payload;
    }

    public IBatchScorer CreateScorer(ReadOnlyMemory<byte> payload)
    {
        ReadOnlySpan<byte> bytes = payload.Span;
        if (bytes.Length < 8)
            throw new InvalidDataException("Affine scorer payload is shorter than its header.");
        int inputs = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int outputs = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (inputs <= 0 || outputs <= 0 || bytes.Length != 8 + 4L * (inputs + 1) * outputs)
            throw new InvalidDataException($"Affine scorer payload of {bytes.Length} bytes does not hold a {inputs} -> {outputs} map.");
        var values = new float[(inputs + 1) * outputs];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(8 + 4 * i)..]);
        return new AffineScorer(inputs, values[..(inputs * outputs)], values[(inputs * outputs)..]);
    }
}
