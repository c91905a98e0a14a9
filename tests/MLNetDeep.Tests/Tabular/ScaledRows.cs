using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Tests.Tabular;

/// <summary>Rows of four features and a label, and the same rows with every column shifted and rescaled.</summary>
internal static class ScaledRows
{
    public const int Features = 4;

    /// <summary>Features drawn uniformly in [-2, 2] (the last one heavy-tailed), a Boolean label of a linear rule with noise.</summary>
    public static List<Row> Binary(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            float[] x = [rng.NextFloat(-2, 2), rng.NextFloat(-2, 2), rng.NextFloat(-2, 2), MathF.Pow(rng.NextFloat(-2, 2), 3)];
            rows.Add(new Row { Features = x, Flag = x[0] - 0.8f * x[1] + 0.3f * x[3] + 0.3f * rng.NextGaussian() > 0 });
        }
        return rows;
    }

    /// <summary>A linear target of a large offset and scale: 50,000 + 2,000 (x0 - 0.5 x1 + 0.25 x2), no noise.</summary>
    public static List<Row> Linear(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            float[] x = [rng.NextFloat(-2, 2), rng.NextFloat(-2, 2), rng.NextFloat(-2, 2), rng.NextFloat(-2, 2)];
            rows.Add(new Row { Features = x, Label = 50_000f + 2_000f * (x[0] - 0.5f * x[1] + 0.25f * x[2]) });
        }
        return rows;
    }

    /// <summary>Each column j becomes x * factor[j] + offset[j].</summary>
    public static List<Row> Rescaled(IEnumerable<Row> rows, float[] factor, float[] offset) =>
        [.. rows.Select(r => new Row { Label = r.Label, Flag = r.Flag, Features = [.. r.Features.Select((v, j) => v * factor[j] + offset[j])] })];

    public static IDataView View(MLContext ml, IEnumerable<Row> rows)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Features);
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    public sealed class Row
    {
        public float Label { get; set; }

        public bool Flag { get; set; }

        public float[] Features { get; set; } = [];
    }
}
