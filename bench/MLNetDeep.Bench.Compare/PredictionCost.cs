using System.Diagnostics;
using Microsoft.ML;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Bench.Compare;

/// <summary>
/// Where a PredictionEngine row of the MLP goes (<c>-- predict</c>): the whole row through ML.NET's PredictionEngine;
/// ML.NET's own cost a row, measured as a PredictionEngine with the same input class over MapValueToKey and a column
/// copy (the row's input and output mapping, no model); the engine alone (RowPredictor on the same network, the same
/// rows); and what is left, the library's glue between the two. The MLP 784-512-512-10 after one epoch (so that ReLU
/// switches units off as in a trained model), over the 10,000 test rows. Each figure is the median of five rounds,
/// the four measured in turn within a round.
/// </summary>
public static class PredictionCost
{
    private const int Rounds = 5, RowsARound = 20000;

    public static void Run()
    {
        var ml = new MLContext(seed: 1);
        var (trainImages, trainLabels) = FashionMnist.TrainFiles;
        var train = ml.Data.LoadFromIdx(trainImages, trainLabels);
        var options = new DeepNetOptions
        {
            Layers = [DeepNetLayer.Dense(512), DeepNetLayer.Dropout(0.2f), DeepNetLayer.Dense(512), DeepNetLayer.Dropout(0.2f)],
            Initializer = Engine.Initializers.InitializerKind.Xavier, Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f,
            BatchSize = 128, Epochs = 1, Seed = 1,
        };
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label");
        var model = toKey.Append(ml.MulticlassClassification.Trainers.DeepNet(options)).Fit(train);
        var copy = toKey.Append(ml.Transforms.CopyColumns("Score", "Features")).Fit(train);

        var data = FashionMnist.Load();
        var rows = Enumerable.Range(0, data.TestCount)
            .Select(i => new MlNetTrainers.FashionRow { Label = data.TestY[i], Features = data.TestX.AsSpan(i * FashionMnist.Pixels, FashionMnist.Pixels).ToArray() })
            .ToArray();
        var engine = ml.Model.CreatePredictionEngine<MlNetTrainers.FashionRow, MlNetTrainers.FashionPrediction>(model);
        var prediction = new MlNetTrainers.FashionPrediction();
        var baseline = ml.Model.CreatePredictionEngine<MlNetTrainers.FashionRow, CopiedRow>(copy);
        var copied = new CopiedRow();
        var network = model.LastTransformer.Model.GetNetwork() ?? throw new InvalidOperationException("The model holds no engine network.");
        // As DeepNet's scorer makes it: on every core.
        var predictor = new RowPredictor(network, ComputeContext.Default);
        var output = new float[10];

        var measured = new (string Name, Action<int> Row)[]
        {
            ("PredictionEngine, DeepNet MLP", i => engine.Predict(rows[i], ref prediction)),
            ("PredictionEngine, MapValueToKey + CopyColumns (ML.NET's own cost)", i => baseline.Predict(rows[i], ref copied)),
            ("RowPredictor alone (the engine)", i => predictor.Predict(data.TestX.AsSpan(i * FashionMnist.Pixels, FashionMnist.Pixels), output)),
        };
        var means = new double[measured.Length, Rounds];
        var p50 = new double[measured.Length, Rounds];
        var latencies = new double[RowsARound];
        foreach (var (_, row) in measured)
            for (int i = 0; i < RowsARound; i++) row(i % rows.Length); // the JIT's tiers settle first, as in training
        for (int round = 0; round < Rounds; round++)
        {
            for (int m = 0; m < measured.Length; m++)
            {
                var row = measured[m].Row;
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < RowsARound; i++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    row(i % rows.Length);
                    latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                }
                means[m, round] = watch.Elapsed.TotalMicroseconds / RowsARound;
                Array.Sort(latencies);
                p50[m, round] = latencies[RowsARound / 2];
            }
        }

        Console.WriteLine($"Prediction, one row at a time, MLP 784-512-512-10 after 1 epoch, {ComputeContext.Default}; medians of {Rounds} rounds of {RowsARound} rows (µs a row):");
        var median = new double[measured.Length];
        for (int m = 0; m < measured.Length; m++)
        {
            median[m] = Median(means, m);
            Console.WriteLine($"  {measured[m].Name,-68} mean {median[m],6:F2}  p50 {Median(p50, m),6:F2}");
        }
        Console.WriteLine($"  {"the library's glue (the first, less the other two)",-68} mean {median[0] - median[1] - median[2],6:F2}");
    }

    private static double Median(double[,] values, int m)
    {
        var sorted = Enumerable.Range(0, values.GetLength(1)).Select(r => values[m, r]).Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The copy's output: the features again, under the name Score.</summary>
    public sealed class CopiedRow
    {
        public float[] Score { get; set; } = [];
    }
}
