using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.ModelRunner;

/// <summary>Formats a column's current value so that floats survive bit for bit.</summary>
internal static class ValueText
{
    /// <summary>True for the column types <see cref="For"/> can write (images and other opaque types are left out).</summary>
    public static bool CanWrite(DataViewType type) =>
        type.RawType == typeof(float) || type.RawType == typeof(VBuffer<float>) || type.RawType == typeof(ReadOnlyMemory<char>)
        || type.RawType == typeof(bool) || type.RawType == typeof(uint);

    public static Func<string> For(DataViewRow row, DataViewSchema.Column column)
    {
        Type raw = column.Type.RawType;
        if (raw == typeof(float))
            return Scalar<float>(row, column, Bits);
        if (raw == typeof(VBuffer<float>))
            return Scalar<VBuffer<float>>(row, column, v => string.Join(' ', v.DenseValues().Select(Bits)));
        if (raw == typeof(ReadOnlyMemory<char>))
            return Scalar<ReadOnlyMemory<char>>(row, column, v => v.ToString());
        if (raw == typeof(bool))
            return Scalar<bool>(row, column, v => v ? "true" : "false");
        if (raw == typeof(uint))
            return Scalar<uint>(row, column, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        throw new NotSupportedException($"Column '{column.Name}' has type {column.Type}, which the runner does not write.");
    }

    private static string Bits(float value) => BitConverter.SingleToUInt32Bits(value).ToString("X8");

    private static Func<string> Scalar<T>(DataViewRow row, DataViewSchema.Column column, Func<T, string> format)
    {
        ValueGetter<T> getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return format(value);
        };
    }
}
