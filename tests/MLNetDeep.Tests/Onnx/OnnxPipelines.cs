using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Datasets;
using MLNetDeep.Engine.Tests.Onnx;

namespace MLNetDeep.Tests.Onnx;

/// <summary>Converts fitted pipelines with ML.NET's ConvertToOnnx and scores the result with ApplyOnnxModel.</summary>
internal static class OnnxPipelines
{
    /// <summary>The bytes <c>ConvertToOnnx</c> writes for <paramref name="model"/>.</summary>
    public static byte[] Convert(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, data, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// <paramref name="data"/> scored by the ONNX model through <c>ApplyOnnxModel</c>, after checking that
    /// ONNX Runtime loads it logging no warning.
    /// </summary>
    public static IDataView Score(MLContext ml, byte[] onnx, IDataView data)
    {
        using (OnnxRuntimeHost.Load(onnx, out var warnings))
            Assert.Empty(warnings);
        return ml.Transforms.ApplyOnnxModel(new MemoryStream(onnx, writable: false)).Fit(data).Transform(data);
    }

    /// <summary>Digits <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> with their pixels as a flat vector of 784, in [0, 1].</summary>
    public static IDataView FlatDigits(MLContext ml, int start, int count)
    {
        var images = EmbeddedDigits.Images;
        var rows = Enumerable.Range(start, count)
            .Select(i => new FlatDigit { Label = EmbeddedDigits.Labels[i], Features = images.Image(i).ToArray().Select(b => b / 255f).ToArray() })
            .ToList();
        var schema = SchemaDefinition.Create(typeof(FlatDigit));
        schema[nameof(FlatDigit.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 784);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Column <paramref name="name"/> of <paramref name="data"/> as float vectors.</summary>
    public static float[][] Vectors(IDataView data, string name) =>
        data.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToArray();

    /// <summary>Asserts that every value of <paramref name="actual"/> is that of <paramref name="expected"/> within <paramref name="tolerance"/>.</summary>
    public static void AssertClose(float[][] expected, float[][] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r].Length, actual[r].Length);
            for (int j = 0; j < expected[r].Length; j++)
                Assert.True(Math.Abs(expected[r][j] - actual[r][j]) <= tolerance, $"{what}, row {r}, value {j}: ML.NET gives {expected[r][j]}, ONNX Runtime {actual[r][j]}.");
        }
    }

    public sealed class FlatDigit
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
