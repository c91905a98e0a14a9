using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Internal;

namespace MLNetDeep.Columns;

/// <summary>
/// The key values of the label a multiclass network was trained on: they become PredictedLabel's KeyValues
/// (so that MapKeyToValue works) and Score's SlotNames (so that the confusion matrix names the classes).
/// </summary>
internal abstract class LabelKeyValues
{
    /// <summary>Number of classes.</summary>
    public abstract int Count { get; }

    /// <summary>The ML.NET type of one value.</summary>
    public abstract PrimitiveDataViewType ItemType { get; }

    /// <summary>Adds the values as a vector annotation named <paramref name="kind"/>.</summary>
    public abstract void AddTo(DataViewSchema.Annotations.Builder builder, string kind);

    /// <summary>Adds SlotNames when the values are text, as ML.NET's multiclass scorer does (and only then).</summary>
    public abstract void AddSlotNamesTo(DataViewSchema.Annotations.Builder builder);

    /// <summary>Writes the type code, the count and the values.</summary>
    public abstract void Write(BinaryWriter writer);

    /// <summary>
    /// The key values of <paramref name="label"/>, or null when it has none.
    /// Throws when they are of a type that cannot be saved.
    /// </summary>
    public static LabelKeyValues? FromColumn(DataViewSchema.Column label)
    {
        if (label.Annotations.Schema.GetColumnOrNull(ScoreAnnotationNames.KeyValues)?.Type is not VectorDataViewType type)
            return null;
        KeyValueCodec codec = KeyValueCodec.ForType(type.ItemType)
            ?? throw new NotSupportedException(
                $"Label column '{label.Name}' has key values of type {type.ItemType}; supported types are {KeyValueCodec.SupportedTypes}.");
        return codec.ReadFrom(label);
    }

    /// <summary>Reads what <see cref="Write"/> wrote: the values of <paramref name="classCount"/> classes.</summary>
    /// <exception cref="InvalidDataException">The type code is unknown or the count is not <paramref name="classCount"/>.</exception>
    public static LabelKeyValues Read(BinaryReader reader, int classCount)
    {
        byte code = reader.ReadByte();
        int count = reader.ReadInt32();
        KeyValueCodec codec = KeyValueCodec.ForCode(code)
            ?? throw new InvalidDataException($"Unknown key value type code {code} in the model.");
        if (count != classCount)
            throw new InvalidDataException($"The model has {count} label key values for {classCount} classes.");
        return codec.Read(reader, count);
    }
}

/// <summary>Key values of one item type.</summary>
internal sealed class LabelKeyValues<T>(KeyValueCodec.Codec<T> codec, T[] values) : LabelKeyValues
{
    public override int Count => values.Length;

    public override PrimitiveDataViewType ItemType => codec.ItemType;

    public override void AddTo(DataViewSchema.Annotations.Builder builder, string kind) =>
        builder.Add(kind, new VectorDataViewType(codec.ItemType, values.Length), (ValueGetter<VBuffer<T>>)GetValues);

    public override void AddSlotNamesTo(DataViewSchema.Annotations.Builder builder)
    {
        if (ItemType is TextDataViewType)
            AddTo(builder, ScoreAnnotationNames.SlotNames);
    }

    public override void Write(BinaryWriter writer)
    {
        writer.Write(codec.Code);
        writer.Write(values.Length);
        foreach (T value in values)
            codec.Write(writer, value);
    }

    private void GetValues(ref VBuffer<T> destination) => new VBuffer<T>(values.Length, values).CopyTo(ref destination);
}
