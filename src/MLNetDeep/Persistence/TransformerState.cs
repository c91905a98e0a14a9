using MLNetDeep.Columns;

namespace MLNetDeep.Persistence;

/// <summary>
/// Everything a <see cref="NetworkPredictionTransformer"/> saves, and its binary format (after ML.NET's header).
/// </summary>
/// <remarks>
/// Format, version 1: string features column; byte kind; int32 input size; int32 output size;
/// int32 column count and the column names; bool has label key values, then their type code, count and values;
/// string scorer factory name; int32 payload length and the payload bytes.
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

    public static TransformerState Read(BinaryReader reader)
    {
        string features = reader.ReadString();
        var kind = (NetworkPredictionKind)reader.ReadByte();
        if (!Enum.IsDefined(kind))
            throw new InvalidDataException($"Unknown prediction kind {(int)kind} in the model.");
        int inputSize = reader.ReadInt32();
        int outputSize = reader.ReadInt32();
        string[] names = new string[CheckCount(reader.ReadInt32(), "column")];
        for (int i = 0; i < names.Length; i++)
            names[i] = reader.ReadString();
        LabelKeyValues? labels = reader.ReadBoolean() ? LabelKeyValues.Read(reader) : null;
        string factory = reader.ReadString();
        int payloadLength = CheckCount(reader.ReadInt32(), "payload byte");
        byte[] payload = reader.ReadBytes(payloadLength);
        if (payload.Length != payloadLength)
            throw new InvalidDataException($"The model's payload is truncated: {payload.Length} of {payloadLength} bytes.");
        return new TransformerState(features, kind, inputSize, outputSize, names, labels, factory, payload);
    }

    private static int CheckCount(int count, string what) =>
        count >= 0 ? count : throw new InvalidDataException($"Invalid {what} count {count} in the model.");
}
