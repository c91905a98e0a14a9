using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

public class BinaryLayoutTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void EvaluateGivesTheHandComputedMetrics()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Binary());
        IDataView scored = new StandInEstimator(_ml, NetworkPredictionKind.BinaryClassification, StandIn.Binary).Fit(data).Transform(data);

        CalibratedBinaryClassificationMetrics metrics = _ml.BinaryClassification.Evaluate(scored);

        Assert.Equal(0.75, metrics.Accuracy, 12);
        Assert.Equal(0.75, metrics.PositivePrecision, 12);
        Assert.Equal(0.75, metrics.PositiveRecall, 12);
        Assert.Equal(0.875, metrics.AreaUnderRocCurve, 12);
    }

    [Fact]
    public void ProbabilityIsTheSigmoidOfScoreAndPredictedLabelIsScoreAboveZero()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Binary());
        IDataView scored = new StandInEstimator(_ml, NetworkPredictionKind.BinaryClassification, StandIn.Binary).Fit(data).Transform(data);

        float[] score = scored.GetColumn<float>("Score").ToArray();
        float[] probability = scored.GetColumn<float>("Probability").ToArray();
        bool[] predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();

        Assert.Equal([2f, -1f, -2f, 1f, 4f, -2f, 1.5f, -0.5f], score);
        for (int i = 0; i < score.Length; i++)
        {
            Assert.Equal(1.0 / (1.0 + Math.Exp(-score[i])), probability[i], 6);
            Assert.Equal(score[i] > 0, predicted[i]);
        }
    }

    [Fact]
    public void CrossValidateRuns()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(Enumerable.Repeat(HandData.Binary(), 5).SelectMany(rows => rows));
        var folds = _ml.BinaryClassification.CrossValidate(
            data, new StandInEstimator(_ml, NetworkPredictionKind.BinaryClassification, StandIn.Binary), numberOfFolds: 2);

        Assert.Equal(2, folds.Count);
    }

    [Fact]
    public void PermutationFeatureImportanceRuns()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(Enumerable.Repeat(HandData.Binary(), 5).SelectMany(rows => rows));
        NetworkPredictionTransformer transformer = new StandInEstimator(_ml, NetworkPredictionKind.BinaryClassification, StandIn.Binary).Fit(data);

        var importance = _ml.BinaryClassification.PermutationFeatureImportance(transformer, data, permutationCount: 1);

        Assert.Equal(2, importance.Length);
    }
}
