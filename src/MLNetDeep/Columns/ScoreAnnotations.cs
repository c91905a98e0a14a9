using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Internal;

namespace MLNetDeep.Columns;

/// <summary>Builds the annotations every score column carries, as ML.NET's scorers do.</summary>
internal static class ScoreAnnotations
{
    /// <summary>The set id for new score columns: one more than the largest in <paramref name="input"/>, as ML.NET numbers them.</summary>
    public static uint NextScoreColumnSetId(DataViewSchema input)
    {
        uint max = 0;
        foreach (DataViewSchema.Column column in input)
        {
            DataViewSchema.Column? setId = column.Annotations.Schema.GetColumnOrNull(ScoreAnnotationNames.ScoreColumnSetId);
            if (setId is null || setId.Value.Type.RawType != typeof(uint))
                continue;
            uint value = 0;
            column.Annotations.GetValue(ScoreAnnotationNames.ScoreColumnSetId, ref value);
            max = Math.Max(max, value);
        }
        return checked(max + 1);
    }

    /// <summary>Starts a column's annotations with ScoreColumnKind, ScoreColumnSetId and ScoreValueKind.</summary>
    public static DataViewSchema.Annotations.Builder Start(string columnKind, uint scoreColumnSetId, string valueKind)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        AddText(builder, ScoreAnnotationNames.ScoreColumnKind, columnKind);
        builder.AddPrimitiveValue(ScoreAnnotationNames.ScoreColumnSetId, ScoreAnnotationNames.ScoreColumnSetIdType, scoreColumnSetId);
        AddText(builder, ScoreAnnotationNames.ScoreValueKind, valueKind);
        return builder;
    }

    private static void AddText(DataViewSchema.Annotations.Builder builder, string kind, string value)
    {
        ReadOnlyMemory<char> text = value.AsMemory();
        builder.AddPrimitiveValue(kind, TextDataViewType.Instance, text);
    }
}
