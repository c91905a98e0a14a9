using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Tests.DeepNet;

/// <summary>A nonlinear regression target no linear model can fit: y = sin(2 x0) x1 + x2² - x3 x0, x4 is noise.</summary>
internal static class Synthetic
{
    public const int Features = 5;

    public static IDataView Regression(MLContext ml, int count, ulong seed)
    {
        var rng = new Rng(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            var x = new float[Features];
            for (int j = 0; j < Features; j++) x[j] = rng.NextFloat(-1.5f, 1.5f);
            float y = MathF.Sin(2 * x[0]) * x[1] + x[2] * x[2] - x[3] * x[0] + 0.05f * rng.NextGaussian();
            rows.Add(new Row { Label = y, Features = x });
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Features);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    public sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
