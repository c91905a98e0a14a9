// Serving a DeepNet model with ONNX Runtime, in and beyond .NET. A CNN trained on the digits is
// exported two ways: the engine's network alone (network.ExportOnnx: input "input" [N, 1, 28, 28],
// output "output", the class probabilities), and the whole ML.NET pipeline with ML.NET's own
// ConvertToOnnx (the columns ML.NET's trainers export: PredictedLabel, Score). Both files are scored
// with ONNX Runtime, from plain C# and through ApplyOnnxModel, beside the DeepNet model itself.
using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Serialization;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Onnx
{
    private sealed class Digit
    {
        public float Label { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }

    public static int Run(SampleContext context)
    {
        var ml = new MLContext(seed: 1);
        var (train, test, description) = context.Quick ? Digits.Load(ml, context, 600, 300) : Digits.Load(ml, context, maxTrain: 4000);
        AnsiConsole.MarkupLine(Markup.Escape(description));
        // NormalizeMinMax is left out: ML.NET exports it as a Scaler that ONNX Runtime refuses on an image column
        // ([1, 28, 28]); the loader already scales the pixels to [0, 1]. (To normalize, make the column flat and give
        // DeepNetOptions.ImageShape: the README's ONNX section.)
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DeepNet(Cnn.Options(context.Quick ? 1 : 3)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);

        // 1. The engine's network alone: no ML.NET needed to export it, nor to serve it.
        var transformer = model.OfType<NetworkPredictionTransformer>().Single();
        Network network = NetworkSerializer.FromBytes(transformer.Model.Payload.Span);
        // The models go into a folder of their own beside the charts.
        string models = Path.GetDirectoryName(context.ChartPath(Path.Combine("onnx", "digits-cnn.onnx")))!;
        Directory.CreateDirectory(models);
        string networkPath = Path.Combine(models, "digits-cnn.onnx");
        using (var file = File.Create(networkPath)) network.ExportOnnx(file);
        // 2. The whole pipeline, through ML.NET's converter.
        string pipelinePath = Path.Combine(models, "digits-pipeline.onnx");
        using (var file = File.Create(pipelinePath)) ml.Model.ConvertToOnnx(model, train, file);
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(networkPath)} ({new FileInfo(networkPath).Length:N0} bytes, opset {NetworkOnnxExport.OpsetVersion}) and {Markup.Escape(pipelinePath)} ({new FileInfo(pipelinePath).Length:N0} bytes).");

        var expected = model.Transform(test);
        float[] labels = expected.GetColumn<float>("PredictedLabel").ToArray();
        float[][] scores = expected.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        float[] pixels = expected.GetColumn<VBuffer<float>>("Features").SelectMany(v => v.DenseValues()).ToArray();
        int rows = labels.Length, classes = scores[0].Length;
        // PredictedLabel is the class of the largest Score, so the same largest probability is the same label.
        var table = new Table().AddColumns("served by", "same PredictedLabel", "largest |Score difference|");
        // Plain C#: ONNX Runtime's own API on the network's file, all test rows in one run.
        using var session = new InferenceSession(networkPath);
        float[] probabilities = RunSession(session, pixels, rows);
        int sameRuntime = 0;
        double largestRuntime = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = probabilities.AsSpan(r * classes, classes);
            if (TensorPrimitives.IndexOfMax(row) == TensorPrimitives.IndexOfMax(scores[r].AsSpan())) sameRuntime++;
            for (int j = 0; j < classes; j++) largestRuntime = Math.Max(largestRuntime, Math.Abs(row[j] - scores[r][j]));
        }
        table.AddRow("ONNX Runtime, network.ExportOnnx", $"{sameRuntime:N0} / {rows:N0}", $"{largestRuntime:E1}");
        // ML.NET: ApplyOnnxModel on the pipeline's file (ML.NET names the outputs after the columns).
        var onnx = ml.Transforms.ApplyOnnxModel(pipelinePath).Fit(test).Transform(test);
        float[] onnxLabels = onnx.GetColumn<VBuffer<float>>("PredictedLabel").Select(v => v.DenseValues().Single()).ToArray();
        float[][] onnxScores = onnx.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        int samePipeline = labels.Zip(onnxLabels).Count(p => p.First == p.Second);
        double largestPipeline = scores.Zip(onnxScores).Max(p => p.First.Zip(p.Second).Max(q => Math.Abs(q.First - q.Second)));
        table.AddRow("ApplyOnnxModel, ConvertToOnnx", $"{samePipeline:N0} / {rows:N0}", $"{largestPipeline:E1}");
        AnsiConsole.Write(table);

        // Latency of one row, and rows per second in one batch, on this machine.
        var timings = new Table().AddColumns("scoring", "latency per row", "rows per second");
        var engine = ml.Model.CreatePredictionEngine<Digit, Prediction>(model);
        var one = new Digit { Features = pixels[..784] };
        int repeats = context.Quick ? 50 : 500;
        double engineRow = Time(() => engine.Predict(one), repeats);
        timings.AddRow("PredictionEngine, one row", Micro(engineRow), $"{1 / engineRow:N0}");
        double runtimeRow = Time(() => RunSession(session, one.Features, 1), repeats);
        timings.AddRow("ONNX Runtime, one row", Micro(runtimeRow), $"{1 / runtimeRow:N0}");
        double engineBatch = Time(() => model.Transform(test).GetColumn<float>("PredictedLabel").Count(), 3) / rows;
        timings.AddRow($"ML.NET Transform, {rows:N0} rows", Micro(engineBatch), $"{1 / engineBatch:N0}");
        double runtimeBatch = Time(() => RunSession(session, pixels, rows), 3) / rows;
        timings.AddRow($"ONNX Runtime, {rows:N0} rows in one run", Micro(runtimeBatch), $"{1 / runtimeBatch:N0}");
        AnsiConsole.Write(timings);
        AnsiConsole.MarkupLine($"[dim]{Environment.ProcessorCount} cores; ONNX Runtime {Markup.Escape(OrtEnv.Instance().GetVersionString())} with its default threads. bench/MLNetDeep.Bench.Onnx measures these with BenchmarkDotNet.[/]");
        return sameRuntime == rows && samePipeline == rows ? 0 : 1;
    }

    /// <summary>The network's probabilities for <paramref name="rows"/> images laid out one after another.</summary>
    private static float[] RunSession(InferenceSession session, float[] pixels, int rows)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [rows, 1, 28, 28]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, [NetworkOnnxExport.InputName], [input], [NetworkOnnxExport.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Seconds per call of <paramref name="action"/>, after one call to warm it up.</summary>
    private static double Time(Action action, int repeats)
    {
        action();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) action();
        return watch.Elapsed.TotalSeconds / repeats;
    }

    private static string Micro(double seconds) => $"{seconds * 1e6:N1} µs";
}
