using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

public class PersistenceTests
{
    private readonly MLContext _ml = new(seed: 1);

    private sealed class NumericLabelRow
    {
        public float Label { get; set; }

        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void NumericLabelKeyValuesSurviveSaveAndLoad()
    {
        float[] classes = [2.5f, -1f, 7f];
        var rows = HandData.ManyMulticlass(30).Select((r, i) => new NumericLabelRow { Label = classes[i % 3], Features = r.Features });
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        ITransformer model = _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(new StandInEstimator(_ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);

        ITransformer loaded = SaveAndLoad(model, data.Schema);

        float[] expected = model.Transform(data).GetColumn<float>("PredictedLabel").ToArray();
        Assert.Equal(expected, loaded.Transform(data).GetColumn<float>("PredictedLabel"));
        Assert.Subset(classes.ToHashSet(), expected.ToHashSet());
    }

    [Fact]
    public void BinaryColumnsSurviveSaveAndLoad()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Binary());
        ITransformer model = new StandInEstimator(_ml, NetworkPredictionKind.BinaryClassification, StandIn.Binary).Fit(data);

        ITransformer loaded = SaveAndLoad(model, data.Schema);

        foreach (string column in new[] { "Score", "Probability" })
            Assert.Equal(model.Transform(data).GetColumn<float>(column), loaded.Transform(data).GetColumn<float>(column));
        Assert.Equal(model.Transform(data).GetColumn<bool>("PredictedLabel"), loaded.Transform(data).GetColumn<bool>("PredictedLabel"));
    }

    [Fact]
    public void LabelKeyValuesOfAnUnsupportedTypeAreRefusedWithTheColumnName()
    {
        var rows = HandData.Multiclass().Select((r, i) => new { Label = new DateTime(2020, 1, 1 + i % 3), r.Features });
        SchemaDefinition schema = SchemaDefinition.Create(rows.First().GetType());
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 4);
        IDataView data = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(_ml.Data.LoadFromEnumerable(rows, schema))
            .Transform(_ml.Data.LoadFromEnumerable(rows, schema));

        var error = Assert.Throws<NotSupportedException>(() =>
            NetworkPredictionTransformer.CreateMulticlass(_ml, StandIn.ThreeClasses(), "Features", data.Schema["Label"]));

        Assert.Contains("Label column 'Label'", error.Message);
    }

    private ITransformer SaveAndLoad(ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(model, schema, stream);
        stream.Position = 0;
        return _ml.Model.Load(stream, out _);
    }
}
