using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Datasets;

namespace MLNetDeep.Tests.DeepNet;

/// <summary>The embedded digits through the public loader: 8,000 train, 2,000 test.</summary>
internal static class Digits
{
    public static (IDataView Train, IDataView Test) Split(MLContext ml, int train = EmbeddedDigits.TrainCount, int test = EmbeddedDigits.Count - EmbeddedDigits.TrainCount)
    {
        var all = ml.Data.LoadEmbeddedDigits();
        return (ml.Data.TakeRows(all, train), ml.Data.TakeRows(ml.Data.SkipRows(all, EmbeddedDigits.TrainCount), test));
    }

    /// <summary>Digits <paramref name="positive"/> (true) against <paramref name="negative"/> (false), as a Boolean-label view.</summary>
    public static IDataView Binary(MLContext ml, int positive, int negative, int start, int count)
    {
        var images = EmbeddedDigits.Images;
        var rows = Enumerable.Range(start, count)
            .Where(i => EmbeddedDigits.Labels[i] == positive || EmbeddedDigits.Labels[i] == negative)
            .Select(i => new BinaryDigit { Label = EmbeddedDigits.Labels[i] == positive, Features = images.Image(i).ToArray().Select(b => b / 255f).ToArray() })
            .ToList();
        var schema = SchemaDefinition.Create(typeof(BinaryDigit));
        schema[nameof(BinaryDigit.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 784);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    public sealed class BinaryDigit
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
