using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Layers;

namespace MLNetDeep.Tests.Tabular;

/// <summary>
/// DeepNet's learned input scaling and standardised regression targets: predictions that do not depend on how the
/// columns were scaled, and predictions in the label's units.
/// </summary>
public sealed class LearnedScalingTests
{
    private readonly MLContext _ml = new(seed: 1);

    // Factors of 1/1000 to 1000 and offsets up to 10,000: raw columns of very different units (each offset within
    // 40 times its factor, so that float32 keeps the columns to 1e-6 of their spread).
    private static readonly float[] Factor = [1000f, 0.001f, 7.5f, 0.2f];
    private static readonly float[] Offset = [10_000f, -0.005f, 250f, 0.5f];

    private DeepNetOptions Options(InputScaling scaling) => new()
    {
        LabelColumnName = nameof(ScaledRows.Row.Flag), HiddenLayers = [16, 8], Epochs = 15, BatchSize = 16, Seed = 4, InputScaling = scaling,
    };

    private float[] Probabilities(InputScaling scaling, List<ScaledRows.Row> train, List<ScaledRows.Row> test)
    {
        var model = _ml.BinaryClassification.Trainers.DeepNet(Options(scaling)).Fit(ScaledRows.View(_ml, train));
        return [.. model.Transform(ScaledRows.View(_ml, test)).GetColumn<float>("Probability")];
    }

    [Theory]
    [InlineData(InputScaling.RobustClipped)]
    [InlineData(InputScaling.Standardize)]
    public void ShiftedAndRescaledColumnsGiveTheSamePredictions(InputScaling scaling)
    {
        var (train, test) = (ScaledRows.Binary(300, seed: 1), ScaledRows.Binary(100, seed: 2));
        float[] plain = Probabilities(scaling, train, test);
        float[] moved = Probabilities(scaling, ScaledRows.Rescaled(train, Factor, Offset), ScaledRows.Rescaled(test, Factor, Offset));

        Assert.Equal(plain.Length, moved.Length);
        for (int i = 0; i < plain.Length; i++)
            Assert.True(Math.Abs(plain[i] - moved[i]) <= 1e-4f, $"Row {i}: {plain[i]} on the columns as drawn, {moved[i]} shifted and rescaled.");
        // The rows are learnable: the predictions are not all alike.
        Assert.True(plain.Max() - plain.Min() > 0.5f);
    }

    [Fact]
    public void WithoutInputScalingTheSameRowsGiveOtherPredictions()
    {
        // The control: the property above comes from the scaling layer, not from the data.
        var (train, test) = (ScaledRows.Binary(300, seed: 1), ScaledRows.Binary(100, seed: 2));
        float[] plain = Probabilities(InputScaling.Off, train, test);
        float[] moved = Probabilities(InputScaling.Off, ScaledRows.Rescaled(train, Factor, Offset), ScaledRows.Rescaled(test, Factor, Offset));
        Assert.Contains(plain.Zip(moved), p => Math.Abs(p.First - p.Second) > 0.05f);
    }

    [Fact]
    public void TheScalingLayerHoldsTheMedianAndInterquartileRangeOfTheTrainingRows()
    {
        // Column 0 of 1..9 (median 5, quartiles 3 and 7 by linear interpolation); column 1 constant (scale 0); others 0/1.
        var rows = Enumerable.Range(1, 9).Select(i => new ScaledRows.Row { Flag = i % 2 == 0, Features = [i, 4f, i % 2, i > 7 ? 1 : 0] }).ToList();
        var options = Options(InputScaling.RobustClipped);
        options.Epochs = 1;
        var network = _ml.BinaryClassification.Trainers.DeepNet(options).Fit(ScaledRows.View(_ml, rows)).Model.GetNetwork()!;
        var scaling = Assert.IsType<FeatureScaling>(network.Layers[0]);
        Assert.Equal(3f, scaling.Clip);
        Assert.Equal([5f, 4f, 1f, 0f], scaling.Centre);
        // Column 2: quartiles 0 and 1; column 3: quartiles meet at 0, so 2 / (max - min).
        Assert.Equal([0.25f, 0f, 1f, 2f], scaling.Scale);
    }

    [Fact]
    public void ALinearTargetOfLargeOffsetAndScaleIsPredictedInTheLabelsUnits()
    {
        var (train, test) = (ScaledRows.Linear(500, seed: 3), ScaledRows.Linear(200, seed: 4));
        double Rmse(bool standardize, out float[] predicted)
        {
            var model = _ml.Regression.Trainers.DeepNet(new DeepNetOptions
            {
                HiddenLayers = [32], BatchSize = 32, Seed = 2, StandardizeRegressionTargets = standardize, // epochs scaled to the rows
            }).Fit(ScaledRows.View(_ml, train));
            predicted = [.. model.Transform(ScaledRows.View(_ml, test)).GetColumn<float>("Score")];
            return Math.Sqrt(test.Zip(predicted).Average(p => (p.First.Label - (double)p.Second) * (p.First.Label - p.Second)));
        }

        double standardized = Rmse(standardize: true, out float[] predictions);
        double raw = Rmse(standardize: false, out _);
        // The label's deviation is 2,000 * sqrt((1 + 0.25 + 0.0625) * 4 / 3) = 2,646: within 2 % of it, and the mean right.
        Assert.True(standardized < 0.02 * 2646, $"RMSE {standardized:F1} with standardised targets.");
        Assert.InRange(predictions.Average(), test.Average(r => r.Label) - 100, test.Average(r => r.Label) + 100);
        // Trained on the raw label, the same network in the same steps is far off.
        Assert.True(raw > 20 * standardized, $"RMSE {raw:F1} on the raw label against {standardized:F1} standardised.");
    }
}
