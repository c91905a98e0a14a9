using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

public class RegressionLayoutTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void EvaluateGivesTheHandComputedErrors()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(HandData.Regression());
        IDataView scored = new StandInEstimator(_ml, NetworkPredictionKind.Regression, StandIn.Regression).Fit(data).Transform(data);

        RegressionMetrics metrics = _ml.Regression.Evaluate(scored);

        Assert.Equal([2.5f, 4.5f, 0.5f, 7.5f], scored.GetColumn<float>("Score"));
        Assert.Equal(0.75, metrics.MeanAbsoluteError, 12);
        Assert.Equal(0.75, metrics.MeanSquaredError, 12);
        Assert.Equal(Math.Sqrt(0.75), metrics.RootMeanSquaredError, 12);
    }

    [Fact]
    public void CrossValidateAndPermutationFeatureImportanceRun()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(Enumerable.Repeat(HandData.Regression(), 5).SelectMany(rows => rows));
        var estimator = new StandInEstimator(_ml, NetworkPredictionKind.Regression, StandIn.Regression);

        var folds = _ml.Regression.CrossValidate(data, estimator, numberOfFolds: 2);
        var importance = _ml.Regression.PermutationFeatureImportance(estimator.Fit(data), data, permutationCount: 1);

        Assert.Equal(2, folds.Count);
        Assert.Equal(2, importance.Length);
    }
}
