using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

public class MulticlassLayoutTests
{
    private readonly MLContext _ml = new(seed: 1);

    private IEstimator<ITransformer> Pipeline() =>
        _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(new StandInEstimator(_ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    [Fact]
    public void EvaluateGivesTheHandComputedAccuracyAndNamedConfusionMatrix()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Multiclass());
        IDataView scored = Pipeline().Fit(data).Transform(data);

        MulticlassClassificationMetrics metrics = _ml.MulticlassClassification.Evaluate(scored);

        Assert.Equal(0.7, metrics.MicroAccuracy, 12);
        Assert.Equal((3.0 / 4 + 2.0 / 3 + 2.0 / 3) / 3, metrics.MacroAccuracy, 12);
        double[][] expected = [[3, 1, 0], [1, 2, 0], [0, 1, 2]]; // actual cat, dog, bird → predicted cat, dog, bird
        Assert.Equal(expected, metrics.ConfusionMatrix.Counts.Select(row => row.ToArray()).ToArray());
        string table = metrics.ConfusionMatrix.GetFormattedConfusionTable();
        Assert.Contains("cat", table);
        Assert.Contains("dog", table);
        Assert.Contains("bird", table);
    }

    [Fact]
    public void PredictedLabelMapsBackToTheLabelText()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Multiclass());
        IDataView scored = Pipeline().Fit(data).Transform(data);

        string[] predicted = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).ToArray();

        Assert.Equal(["cat", "dog", "bird", "cat", "dog", "dog", "cat", "bird", "dog", "cat"], predicted);
    }

    [Fact]
    public void ScoreIsTheNetworkOutputAndCarriesTheClassNames()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Multiclass());
        IDataView scored = Pipeline().Fit(data).Transform(data);

        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["Score"].GetSlotNames(ref names);

        Assert.Equal([3f, 1f, 0f], scores[0]);
        Assert.Equal(["cat", "dog", "bird"], names.DenseValues().Select(n => n.ToString()));
    }

    [Fact]
    public void EstimatorSchemaPropagationMatchesTheFittedSchema()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Multiclass());
        var estimator = _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(new StandInEstimator(_ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses));

        SchemaShape shape = estimator.GetOutputSchema(Shapes.Of(data.Schema));
        DataViewSchema schema = estimator.Fit(data).GetOutputSchema(data.Schema);

        foreach (string name in new[] { "PredictedLabel", "Score" })
        {
            SchemaShape.Column column = shape.Single(c => c.Name == name);
            Assert.Equal(schema[name].Annotations.Schema.Select(a => a.Name).OrderBy(n => n),
                column.Annotations.Select(a => a.Name).OrderBy(n => n));
        }
    }

    [Fact]
    public void CrossValidateRunsAndEveryFoldHasTheStandInAccuracy()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.ManyMulticlass(90));
        IDataView keyed = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var estimator = new StandInEstimator(_ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses);

        var folds = _ml.MulticlassClassification.CrossValidate(keyed, estimator, numberOfFolds: 3);

        Assert.Equal(3, folds.Count);
        Assert.All(folds, fold => Assert.InRange(fold.Metrics.MicroAccuracy, 0.0, 1.0));
    }

    [Fact]
    public void PermutationFeatureImportanceSeesOnlyTheFirstThreeFeatures()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.ManyMulticlass(300));
        IDataView keyed = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        NetworkPredictionTransformer transformer = new StandInEstimator(_ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses).Fit(keyed);

        var importance = _ml.MulticlassClassification.PermutationFeatureImportance(transformer, keyed, permutationCount: 2);

        Assert.Equal(4, importance.Length);
        Assert.Equal(0.0, importance[3].MicroAccuracy.Mean, 12); // the map ignores the fourth feature
        Assert.All(importance.Take(3), feature => Assert.NotEqual(0.0, feature.MicroAccuracy.Mean));
    }

    [Fact]
    public void PermutationFeatureImportanceFindsTheTransformerInAChain()
    {
        var rows = HandData.ManyMulticlass(300).Select(r => new { r.Label, A = r.Features[0], B = r.Features[1], C = r.Features[2], D = r.Features[3] });
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        var prep = _ml.Transforms.Conversion.MapValueToKey("Label").Append(_ml.Transforms.Concatenate("Features", "A", "B", "C", "D"));
        IDataView prepared = prep.Fit(data).Transform(data);
        ITransformer model = new StandInEstimator(_ml, NetworkPredictionKind.MulticlassClassification, StandIn.ThreeClasses)
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(prepared);

        var importance = _ml.MulticlassClassification.PermutationFeatureImportance(model, prepared, permutationCount: 1);

        Assert.Equal(["A", "B", "C", "D"], importance.Keys.Order());
        Assert.Equal(0.0, importance["D"].MicroAccuracy.Mean, 12);
    }
}
