using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Tests.Trainer;

/// <summary>Small seeded data sets for the trainer tests.</summary>
internal static class ToyData
{
    public const int Features = 4;

    /// <summary>y = x0 - 2 x1 + 0.5 x2 (times <paramref name="sign"/>) plus a little noise; every row weighs <paramref name="weight"/>.</summary>
    public static IDataView Regression(MLContext ml, int count, ulong seed, float sign = 1f, float weight = 1f)
    {
        var rng = new Rng(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            var x = Enumerable.Range(0, Features).Select(_ => rng.NextFloat(-1f, 1f)).ToArray();
            float y = sign * (x[0] - 2 * x[1] + 0.5f * x[2]) + 0.01f * rng.NextGaussian();
            rows.Add(new Row { Label = y, Features = x, Weight = weight, DoubleWeight = weight, Class = (uint)(i % 3) + 1 });
        }
        return Load(ml, rows);
    }

    /// <summary>
    /// Three classes far apart (centres at 3 e_c, noise 0.3): separable by a line. Label is a key 1..3 and the
    /// weight column is 1; <see cref="Row.Class"/> holds the key too.
    /// </summary>
    public static IDataView Blobs(MLContext ml, int count, ulong seed)
    {
        var rng = new Rng(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            int c = i % 3;
            var x = Enumerable.Range(0, Features).Select(j => (j == c ? 3f : 0f) + 0.3f * rng.NextGaussian()).ToArray();
            rows.Add(new Row { Label = c, Features = x, Weight = 1f, DoubleWeight = 1, Class = (uint)c + 1 });
        }
        var view = Load(ml, rows);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }

    private static IDataView Load(MLContext ml, List<Row> rows)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Features);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    public sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];

        public float Weight { get; set; }

        public uint Class { get; set; }

        public double DoubleWeight { get; set; }
    }
}
