using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Bench.Compare;

/// <summary>
/// Fashion-MNIST through ML.NET pipelines: DeepNet (MLP, CNN) beside ML.NET's built-in multiclass
/// trainers, each on the same IDataView from LoadFromIdx. Also the prediction figures of DeepNet.
/// </summary>
public static class MlNetTrainers
{
    public static readonly string[] Names = ["deepnet-mlp", "deepnet-cnn", "lightgbm", "fastforest-ova", "linearsvm-ova", "sdca-maxent", "lbfgs-maxent"];

    public static Measurement Run(string name, int mlpEpochs, int cnnEpochs, int padding, int threads)
    {
        var ml = new MLContext(seed: 1);
        var (trainImages, trainLabels) = FashionMnist.TrainFiles;
        var (testImages, testLabels) = FashionMnist.TestFiles;
        var train = ml.Data.LoadFromIdx(trainImages, trainLabels);
        var test = ml.Data.LoadFromIdx(testImages, testLabels);
        var m = new Measurement { Config = name };

        var toKey = ml.Transforms.Conversion.MapValueToKey("Label");
        IEstimator<ITransformer> pipeline = name switch
        {
            // DeepNet copies the rows into memory itself: no cache checkpoint.
            "deepnet-mlp" => toKey.Append(ml.MulticlassClassification.Trainers.DeepNet(DeepNet(NetworkKind.Mlp, mlpEpochs, padding, threads))),
            "deepnet-cnn" => toKey.Append(ml.MulticlassClassification.Trainers.DeepNet(DeepNet(NetworkKind.Cnn, cnnEpochs, padding, threads))),
            // The built-in trainers pass over the data many times: cache it, as ML.NET's docs advise.
            "lightgbm" => toKey.AppendCacheCheckpoint(ml).Append(ml.MulticlassClassification.Trainers.LightGbm()),
            "fastforest-ova" => toKey.AppendCacheCheckpoint(ml).Append(ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastForest())),
            "linearsvm-ova" => toKey.AppendCacheCheckpoint(ml).Append(ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.LinearSvm())),
            "sdca-maxent" => toKey.AppendCacheCheckpoint(ml).Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
            "lbfgs-maxent" => toKey.AppendCacheCheckpoint(ml).Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
            _ => throw new ArgumentException($"Unknown ML.NET configuration '{name}'; known: {string.Join(", ", Names)}."),
        };
        m.Notes["trainer"] = name.StartsWith("deepnet", StringComparison.Ordinal) ? DeepNet(name == "deepnet-mlp" ? NetworkKind.Mlp : NetworkKind.Cnn, name == "deepnet-mlp" ? mlpEpochs : cnnEpochs, padding, threads).Describe() : "ML.NET defaults";

        var watch = Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        m.Values["train_s"] = watch.Elapsed.TotalSeconds;
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        m.Values["test_accuracy"] = metrics.MicroAccuracy;
        Console.Error.WriteLine($"  {name}: trained in {m.Values["train_s"]:F1} s, test accuracy {metrics.MicroAccuracy:P2}");
        if (name.StartsWith("deepnet", StringComparison.Ordinal)) MeasurePrediction(ml, model, test, m);
        return m;
    }

    private static DeepNetOptions DeepNet(NetworkKind kind, int epochs, int padding, int threads) => new()
    {
        Layers = kind == NetworkKind.Mlp
            ? [DeepNetLayer.Dense(512), DeepNetLayer.Dropout(0.2f), DeepNetLayer.Dense(512), DeepNetLayer.Dropout(0.2f)]
            : [DeepNetLayer.Conv2D(32, 3, padding: padding), DeepNetLayer.MaxPool(2), DeepNetLayer.Conv2D(64, 3, padding: padding), DeepNetLayer.MaxPool(2), DeepNetLayer.Dropout(0.25f), DeepNetLayer.Dense(128), DeepNetLayer.Dropout(0.25f)],
        Initializer = kind == NetworkKind.Mlp ? InitializerKind.Xavier : InitializerKind.He,
        Optimizer = OptimizerKind.Adam, LearningRate = 1e-3f, BatchSize = 128, Epochs = epochs, Seed = 1, NumberOfThreads = threads,
        // Annealed to 0 over the run: the side-by-side keeps Adam's rate constant, as specified for
        // both libraries; here DeepNet is used as a user would, for its best accuracy in the time.
        LearningRateSchedule = new CosineSchedule(epochs),
    };

    private static string Describe(this DeepNetOptions o) =>
        $"DeepNet {string.Join(", ", o.Layers!)}, Dense(10); {o.Initializer}, {o.Optimizer} {o.LearningRate} cosine-annealed to 0, batch {o.BatchSize}, {o.Epochs} epochs, {o.NumberOfThreads} threads";

    /// <summary>Latency of one row through a PredictionEngine, and rows a second through Transform.</summary>
    private static void MeasurePrediction(MLContext ml, ITransformer model, IDataView test, Measurement m)
    {
        var data = FashionMnist.Load();
        var rows = Enumerable.Range(0, data.TestCount)
            .Select(i => new FashionRow { Label = data.TestY[i], Features = data.TestX.AsSpan(i * FashionMnist.Pixels, FashionMnist.Pixels).ToArray() })
            .ToArray();
        var engine = ml.Model.CreatePredictionEngine<FashionRow, FashionPrediction>(model);
        var output = new FashionPrediction();
        // Steady state, as for training: 20,000 rows first, so that the JIT has finished tiering up the scoring code.
        for (int i = 0; i < 20000; i++) engine.Predict(rows[i % rows.Length], ref output);
        var latencies = new double[20000];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < latencies.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            engine.Predict(rows[i % rows.Length], ref output);
            latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }
        m.Values["predict_mean_us"] = watch.Elapsed.TotalMicroseconds / latencies.Length;
        Array.Sort(latencies);
        m.Values["predict_p50_us"] = latencies[latencies.Length / 2];
        m.Values["predict_p99_us"] = latencies[(int)(latencies.Length * 0.99)];

        // Transform over cached rows, so that the figure is the scorer's, not the IDX loader's.
        var cached = ml.Data.Cache(test);
        Drain(model.Transform(cached));
        double best = double.MaxValue;
        for (int pass = 0; pass < 5; pass++)
        {
            var w = Stopwatch.StartNew();
            long count = Drain(model.Transform(cached));
            best = Math.Min(best, w.Elapsed.TotalSeconds / count);
        }
        m.Values["transform_rows_per_s"] = 1 / best;
        Console.Error.WriteLine($"  {m.Config}: PredictionEngine {m.Values["predict_mean_us"]:F1} us/row (p50 {m.Values["predict_p50_us"]:F1}), Transform {m.Values["transform_rows_per_s"]:F0} rows/s");
    }

    private static long Drain(IDataView scored)
    {
        var column = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> score = default;
        long count = 0;
        while (cursor.MoveNext()) { getter(ref score); count++; }
        return count;
    }

    public sealed class FashionRow
    {
        public float Label { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    public sealed class FashionPrediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }
}
