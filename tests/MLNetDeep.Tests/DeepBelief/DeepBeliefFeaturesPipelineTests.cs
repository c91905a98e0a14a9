using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Tests.DeepNet;

namespace MLNetDeep.Tests.DeepBelief;

/// <summary>DeepBeliefFeatures' schema, its lazy batch scoring, and its place in ordinary ML.NET pipelines.</summary>
public sealed class DeepBeliefFeaturesPipelineTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static PretrainingOptions Quick => new() { Epochs = 1, Seed = 2 };

    [Fact]
    public void GetOutputSchemaAnnouncesAKnownSizeVectorAndTheTransformerGivesIt()
    {
        var train = Digits.Split(_ml, 300, 1).Train;
        var estimator = _ml.Transforms.DeepBeliefFeatures("Hidden", "Features", [20, 12], Quick);
        var announced = estimator.GetOutputSchema(Shapes.Of(train.Schema));
        var shape = announced.Single(c => c.Name == "Hidden");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, shape.Kind);
        Assert.Equal(NumberDataViewType.Single, shape.ItemType);

        var transformer = estimator.Fit(train);
        var column = transformer.GetOutputSchema(train.Schema)["Hidden"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 12), column.Type);
        Assert.Empty(column.Annotations.Schema); // no score annotations: evaluators must not take it for a score
        Assert.NotNull(transformer.GetOutputSchema(train.Schema).GetColumnOrNull("Label"));
    }

    [Fact]
    public void InputColumnDefaultsToTheOutputColumnWhichItReplaces()
    {
        var train = Digits.Split(_ml, 300, 1).Train;
        var estimator = _ml.Transforms.DeepBeliefFeatures("Features", hiddenLayerSizes: [10], options: Quick);
        Assert.Equal("Features", estimator.InputColumnName);
        var scored = estimator.Fit(train).Transform(train);
        Assert.Equal(10, ((VectorDataViewType)scored.Schema["Features"].Type).Size);
        Assert.All(scored.GetColumn<float[]>("Features"), row => Assert.All(row, p => Assert.InRange(p, 0f, 1f)));
    }

    [Fact]
    public void BatchesParallelCursorsAndPredictionEnginesAgree()
    {
        var train = Digits.Split(_ml, 500, 1).Train;
        var transformer = _ml.Transforms.DeepBeliefFeatures("Hidden", "Features", [16], Quick).Fit(train);
        float[][] batched = transformer.Transform(train).GetColumn<float[]>("Hidden").ToArray();

        var scored = transformer.Transform(train);
        var set = scored.GetRowCursorSet([scored.Schema["Hidden"]], 2);
        var rows = new List<float[]>[set.Length];
        Parallel.For(0, set.Length, i =>
        {
            rows[i] = [];
            using var cursor = set[i];
            var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Hidden"]);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                rows[i].Add(value.DenseValues().ToArray());
            }
        });
        Assert.Equal(batched.Length, rows.Sum(r => r.Count));
        var bits = batched.Select(Key).ToHashSet();
        Assert.All(rows.SelectMany(r => r), row => Assert.Contains(Key(row), bits));

        var engine = _ml.Model.CreatePredictionEngine<DigitInput, HiddenOutput>(transformer);
        var features = train.GetColumn<float[]>("Features").Take(20).ToArray();
        for (int i = 0; i < features.Length; i++)
            Assert.Equal(Key(batched[i]), Key(engine.Predict(new DigitInput { Features = features[i] }).Hidden));
    }

    [Fact]
    public void PretrainingProgressReachesTheLog()
    {
        var messages = new List<string>();
        _ml.Log += (_, e) => { if (e.Source.Contains("DeepBeliefFeatures")) lock (messages) messages.Add(e.Message); };
        var train = Digits.Split(_ml, 200, 1).Train;
        _ml.Transforms.DeepBeliefFeatures("Hidden", "Features", [8, 4], new PretrainingOptions { Epochs = 2 }).Fit(train);
        Assert.Contains(messages, m => m.Contains("layer 0 epoch 2/2"));
        Assert.Contains(messages, m => m.Contains("layer 1 epoch 2/2"));
    }

    private static string Key(float[] row) => string.Join(' ', row.Select(BitConverter.SingleToInt32Bits));

    public sealed class DigitInput
    {
        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    public sealed class HiddenOutput
    {
        public float[] Hidden { get; set; } = [];
    }
}
