using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Data;

/// <summary>Type checks shared by the rows and cursors that serve getters.</summary>
internal static class Getters
{
    /// <summary>Casts <paramref name="getter"/>, or says which type <paramref name="column"/> really has.</summary>
    public static ValueGetter<TValue> Cast<TValue>(Delegate getter, DataViewSchema.Column column) =>
        getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"Invalid TValue in GetGetter for column '{column.Name}': {typeof(TValue).Name}; the column's type is {column.Type} ({column.Type.RawType.Name}).");

    /// <summary>Throws unless <paramref name="active"/>.</summary>
    public static void CheckActive(bool active, DataViewSchema.Column column)
    {
        if (!active)
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; ask for it when creating the cursor.");
    }
}
