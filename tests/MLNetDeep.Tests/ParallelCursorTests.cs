using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

public class ParallelCursorTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Theory]
    [InlineData(128)]
    [InlineData(7)]
    [InlineData(1)]
    public void FourParallelCursorsGiveWhatOneCursorGives(int batchSize)
    {
        (IDataView scored, DataViewSchema.Column[] columns) = Scored(1000, batchSize);
        Dictionary<DataViewRowId, (float[] Score, uint Predicted, string Label)> expected;
        using (DataViewRowCursor cursor = scored.GetRowCursor(columns))
            expected = ReadAll(cursor);

        DataViewRowCursor[] set = scored.GetRowCursorSet(columns, 4);
        var parts = new Dictionary<DataViewRowId, (float[], uint, string)>[set.Length];
        Parallel.For(0, set.Length, i =>
        {
            using DataViewRowCursor cursor = set[i];
            parts[i] = ReadAll(cursor);
        });

        Assert.True(set.Length > 1, "The source should have split into several cursors.");
        var merged = parts.SelectMany(part => part).ToDictionary(pair => pair.Key, pair => pair.Value);
        Assert.Equal(expected.Count, merged.Count);
        foreach (var (id, value) in expected)
        {
            Assert.Equal(value.Score, merged[id].Item1);
            Assert.Equal(value.Predicted, merged[id].Item2);
            Assert.Equal(value.Label, merged[id].Item3);
        }
    }

    [Fact]
    public void PassthroughColumnsStayOnTheirRowWhileScoresAreBatched()
    {
        MulticlassRow[] rows = HandData.ManyMulticlass(300);
        (IDataView scored, DataViewSchema.Column[] columns) = Scored(rows.Length, batchSize: 64);
        using DataViewRowCursor cursor = scored.GetRowCursor(columns.Append(scored.Schema["Features"]));
        var features = cursor.GetGetter<VBuffer<float>>(scored.Schema["Features"]);
        var score = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        VBuffer<float> f = default, s = default;
        int row = 0;
        while (cursor.MoveNext())
        {
            features(ref f);
            score(ref s);
            Assert.Equal(rows[row].Features, f.DenseValues());
            Assert.Equal(rows[row].Features.Take(3), s.DenseValues()); // the stand-in scores are the first three features
            Assert.Equal(row, cursor.Position);
            row++;
        }
        Assert.Equal(rows.Length, row);
    }

    private (IDataView Scored, DataViewSchema.Column[] Columns) Scored(int count, int batchSize)
    {
        // A cached view splits into parallel cursors; LoadFromEnumerable alone would give one.
        IDataView data = _ml.Data.Cache(_ml.Data.LoadFromEnumerable(HandData.ManyMulticlass(count)));
        IDataView keyed = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        NetworkPredictionTransformer transformer = new StandInEstimator(_ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses).Fit(keyed);
        transformer.BatchSize = batchSize;
        IDataView scored = transformer.Transform(keyed);
        return (scored, [scored.Schema["Score"], scored.Schema["PredictedLabel"], scored.Schema["Label"]]);
    }

    private static Dictionary<DataViewRowId, (float[] Score, uint Predicted, string Label)> ReadAll(DataViewRowCursor cursor)
    {
        var id = cursor.GetIdGetter();
        var score = cursor.GetGetter<VBuffer<float>>(cursor.Schema["Score"]);
        var predicted = cursor.GetGetter<uint>(cursor.Schema["PredictedLabel"]);
        var label = cursor.GetGetter<uint>(cursor.Schema["Label"]);
        var result = new Dictionary<DataViewRowId, (float[], uint, string)>();
        DataViewRowId rowId = default;
        VBuffer<float> s = default;
        uint p = 0, l = 0;
        while (cursor.MoveNext())
        {
            id(ref rowId);
            score(ref s);
            predicted(ref p);
            label(ref l);
            result.Add(rowId, (s.DenseValues().ToArray(), p, l.ToString()));
        }
        return result;
    }
}
