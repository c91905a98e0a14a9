using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Columns;

/// <summary>
/// The item types a label's key values may have, each with a stable code for the model file and a
/// binary reader and writer: text, bool, and the integer and floating-point numbers.
/// </summary>
internal abstract class KeyValueCodec
{
    private static readonly KeyValueCodec[] All =
    [
        new Codec<ReadOnlyMemory<char>>(1, TextDataViewType.Instance, (w, v) => w.Write(v.ToString()), r => Persistence.BoundedReader.ReadString(r, MaxTextBytes, "label key value").AsMemory()),
        new Codec<bool>(2, BooleanDataViewType.Instance, (w, v) => w.Write(v), r => r.ReadBoolean()),
        new Codec<sbyte>(3, NumberDataViewType.SByte, (w, v) => w.Write(v), r => r.ReadSByte()),
        new Codec<byte>(4, NumberDataViewType.Byte, (w, v) => w.Write(v), r => r.ReadByte()),
        new Codec<short>(5, NumberDataViewType.Int16, (w, v) => w.Write(v), r => r.ReadInt16()),
        new Codec<ushort>(6, NumberDataViewType.UInt16, (w, v) => w.Write(v), r => r.ReadUInt16()),
        new Codec<int>(7, NumberDataViewType.Int32, (w, v) => w.Write(v), r => r.ReadInt32()),
        new Codec<uint>(8, NumberDataViewType.UInt32, (w, v) => w.Write(v), r => r.ReadUInt32()),
        new Codec<long>(9, NumberDataViewType.Int64, (w, v) => w.Write(v), r => r.ReadInt64()),
        new Codec<ulong>(10, NumberDataViewType.UInt64, (w, v) => w.Write(v), r => r.ReadUInt64()),
        new Codec<float>(11, NumberDataViewType.Single, (w, v) => w.Write(v), r => r.ReadSingle()),
        new Codec<double>(12, NumberDataViewType.Double, (w, v) => w.Write(v), r => r.ReadDouble()),
    ];

    /// <summary>The longest text key value read back, in UTF-8 bytes.</summary>
    private const int MaxTextBytes = 1 << 16;

    private KeyValueCodec(byte code, PrimitiveDataViewType itemType)
    {
        Code = code;
        ItemType = itemType;
    }

    /// <summary>The code written to the model file.</summary>
    public byte Code { get; }

    /// <summary>The ML.NET type of one key value.</summary>
    public PrimitiveDataViewType ItemType { get; }

    /// <summary>Reads the key values of <paramref name="column"/> (which must have them) with this codec's type.</summary>
    public abstract LabelKeyValues ReadFrom(DataViewSchema.Column column);

    /// <summary>Reads <paramref name="count"/> values written by <see cref="LabelKeyValues.Write"/>.</summary>
    public abstract LabelKeyValues Read(BinaryReader reader, int count);

    /// <summary>The codec for key values of <paramref name="itemType"/>, or null when that type is not supported.</summary>
    public static KeyValueCodec? ForType(DataViewType itemType) => All.FirstOrDefault(c => c.ItemType.Equals(itemType));

    /// <summary>The codec with <paramref name="code"/>, or null.</summary>
    public static KeyValueCodec? ForCode(byte code) => All.FirstOrDefault(c => c.Code == code);

    /// <summary>The supported types, for messages.</summary>
    public static string SupportedTypes => string.Join(", ", All.Select(c => c.ItemType.RawType.Name));

    /// <summary>The codec of one type.</summary>
    internal sealed class Codec<T>(byte code, PrimitiveDataViewType itemType, Action<BinaryWriter, T> write, Func<BinaryReader, T> read)
        : KeyValueCodec(code, itemType)
    {
        public void Write(BinaryWriter writer, T value) => write(writer, value);

        public override LabelKeyValues ReadFrom(DataViewSchema.Column column)
        {
            VBuffer<T> values = default;
            column.GetKeyValues(ref values);
            return new LabelKeyValues<T>(this, values.DenseValues().ToArray());
        }

        public override LabelKeyValues Read(BinaryReader reader, int count)
        {
            // Each value takes at least one byte: a count beyond what remains is damage, not a reason to allocate.
            Stream stream = reader.BaseStream;
            if (stream.CanSeek && count > stream.Length - stream.Position)
                throw new InvalidDataException($"The model's {count} label key values are longer than the rest of the model.");
            var values = new T[count];
            for (int i = 0; i < count; i++)
                values[i] = read(reader);
            return new LabelKeyValues<T>(this, values);
        }
    }
}
