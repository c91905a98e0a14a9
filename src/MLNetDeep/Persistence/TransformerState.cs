using MLNetDeep.Columns;
using MLNetDeep.Engine.Serialization;

namespace MLNetDeep.Persistence;

/// <summary>
/// Everything a <see cref="NetworkPredictionTransformer"/> saves, and its binary format (after ML.NET's header).
/// </summary>
/// <remarks>
/// Format, version 1: string features column; byte kind; int32 input size; int32 output size;
/// int32 column count and the column names; bool has label key values, then their type code, count and values;
/// string scorer factory name; int32 payload length and the payload bytes.
/// Reading bounds every count and length before allocating: a damaged state is an <see cref="InvalidDataException"/>.
/// </remarks>
internal sealed record TransformerState(
    string FeatureColumnName,
    NetworkPredictionKind Kind,
    int InputSize,
    int OutputSize,
    string[] ColumnNames,
    LabelKeyValues? Labels,
    string ScorerFactoryName,
    byte[] Payload)
{
    /// <summary>The longest column or type name read back, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 4096;

    /// <summary>The most features a network reads (as the engine's model format allows).</summary>
    public const int MaxInputSize = 1 << 26;

    /// <summary>The most outputs (classes) a network has: the bound the trainer puts on a label's key count.</summary>
    public const int MaxOutputSize = 1_000_000;

    /// <summary>The most appended columns (PredictedLabel, Score, Probability).</summary>
    private const int MaxColumns = 8;

    /// <summary>The largest payload: an engine model file at its largest.</summary>
    private const int MaxPayloadBytes = NetworkSerializer.MaxPayloadBytes + 16;

    public void Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        writer.Write((byte)Kind);
        writer.Write(InputSize);
        writer.Write(OutputSize);
        writer.Write(ColumnNames.Length);
        foreach (string name in ColumnNames)
            writer.Write(name);
        writer.Write(Labels is not null);
        Labels?.Write(writer);
        writer.Write(ScorerFactoryName);
        writer.Write(Payload.Length);
        writer.Write(Payload);
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The state is damaged, truncated or out of bounds.</exception>
    public static TransformerState Read(BinaryReader reader)
    {
        try
        {
            string features = BoundedReader.ReadString(reader, MaxNameBytes, "features column name");
            var kind = (NetworkPredictionKind)reader.ReadByte();
            if (!Enum.IsDefined(kind))
                throw new InvalidDataException($"Unknown prediction kind {(int)kind} in the model.");
            int inputSize = BoundedReader.ReadInt32(reader, 1, MaxInputSize, "input size");
            int outputSize = BoundedReader.ReadInt32(reader, 1, MaxOutputSize, "output size");
            string[] names = new string[BoundedReader.ReadInt32(reader, 1, MaxColumns, "column count")];
            for (int i = 0; i < names.Length; i++)
                names[i] = BoundedReader.ReadString(reader, MaxNameBytes, "column name");
            LabelKeyValues? labels = reader.ReadBoolean() ? LabelKeyValues.Read(reader, outputSize) : null;
            string factory = BoundedReader.ReadString(reader, MaxNameBytes, "scorer factory name");
            int payloadLength = BoundedReader.ReadInt32(reader, 1, MaxPayloadBytes, "payload length");
            byte[] payload = BoundedReader.ReadBytes(reader, payloadLength, "payload");
            return new TransformerState(features, kind, inputSize, outputSize, names, labels, factory, payload);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The model's DeepNet state is truncated.", e);
        }
    }
}
