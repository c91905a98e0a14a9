using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Tests.DeepNet;

namespace MLNetDeep.Tests.Reliability;

/// <summary>A DeepNet model used from many threads at once gives, bit for bit, what it gives on one.</summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private readonly MLContext _ml = new(seed: 1);

    public sealed class DigitInput
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];
    }

    public sealed class DigitPrediction
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }

    /// <summary>A DeepNet on digits and held-out rows to score; the data is cached so that it splits into parallel cursors.</summary>
    private (ITransformer Model, IDataView Test) Trained()
    {
        var (train, test) = Digits.Split(_ml, 1000, 400);
        var keying = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var model = _ml.MulticlassClassification.Trainers.DeepNet(new DeepNetOptions { HiddenLayers = [64, 32], Dropout = 0.1f, Epochs = 2, BatchSize = 50 })
            .Fit(keying.Transform(train));
        return (model, _ml.Data.Cache(keying.Transform(test)));
    }

    private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();

    [Fact]
    public void EightThreadsWithTheirOwnPredictionEnginesPredictWhatOneThreadPredicts()
    {
        var (model, test) = Trained();
        var inputs = test.GetColumn<float[]>("Features").Select(f => new DigitInput { Features = f }).ToArray();
        var single = _ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
        var expected = inputs.Select(input => Bits(single.Predict(input).Score)).ToArray();

        var results = new uint[Threads][][];
        AllAtOnce(Threads, t =>
        {
            var engine = _ml.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(model);
            return () =>
            {
                var mine = new uint[inputs.Length][];
                for (int k = 0; k < inputs.Length; k++)
                {
                    int i = (k + t * 37) % inputs.Length; // each thread in its own order
                    mine[i] = Bits(engine.Predict(inputs[i]).Score);
                }
                results[t] = mine;
            };
        });

        for (int t = 0; t < Threads; t++)
            for (int i = 0; i < inputs.Length; i++)
                Assert.Equal(expected[i], results[t][i]);
    }

    [Fact]
    public void ParallelCursorsOfOneTransformScoreWhatOneCursorScores()
    {
        var (model, test) = Trained();
        var scored = model.Transform(test);
        var columns = new[] { scored.Schema["Score"], scored.Schema["PredictedLabel"] };
        Dictionary<DataViewRowId, (uint[] Score, uint Predicted)> expected;
        using (var cursor = scored.GetRowCursor(columns)) expected = ReadAll(cursor);

        var set = scored.GetRowCursorSet(columns, Threads);
        Assert.True(set.Length > 1, "The cached view should split into several cursors.");
        var parts = new Dictionary<DataViewRowId, (uint[], uint)>[set.Length];
        AllAtOnce(set.Length, i => () =>
        {
            using var cursor = set[i];
            parts[i] = ReadAll(cursor);
        });

        var merged = parts.SelectMany(part => part).ToDictionary(pair => pair.Key, pair => pair.Value);
        Assert.Equal(expected.Count, merged.Count);
        foreach (var (id, (score, predicted)) in expected)
        {
            Assert.Equal(score, merged[id].Item1);
            Assert.Equal(predicted, merged[id].Item2);
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> threads of their own (not pool threads, which a busy machine hands out slowly):
    /// each prepares its work, then all start it together.
    /// </summary>
    private static void AllAtOnce(int count, Func<int, Action> prepare)
    {
        using var start = new Barrier(count);
        var errors = new Exception?[count];
        var threads = Enumerable.Range(0, count).Select(t => new Thread(() =>
        {
            try
            {
                var work = prepare(t);
                start.SignalAndWait();
                work();
            }
            catch (Exception e)
            {
                errors[t] = e;
                start.RemoveParticipant();
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        foreach (var error in errors)
            if (error is not null) throw new AggregateException(error);
    }

    private static Dictionary<DataViewRowId, (uint[] Score, uint Predicted)> ReadAll(DataViewRowCursor cursor)
    {
        var id = cursor.GetIdGetter();
        var score = cursor.GetGetter<VBuffer<float>>(cursor.Schema["Score"]);
        var predicted = cursor.GetGetter<uint>(cursor.Schema["PredictedLabel"]);
        var result = new Dictionary<DataViewRowId, (uint[], uint)>();
        DataViewRowId rowId = default;
        VBuffer<float> s = default;
        uint p = 0;
        while (cursor.MoveNext())
        {
            id(ref rowId);
            score(ref s);
            predicted(ref p);
            result.Add(rowId, (Bits(s.DenseValues().ToArray()), p));
        }
        return result;
    }
}
