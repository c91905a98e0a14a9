using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Onnx;
using MLNetDeep.Engine.Serialization;

namespace MLNetDeep.Bench.Onnx;

/// <summary>
/// One digit scored at a time, and 1,000 digits at once, by the DeepNet model in ML.NET
/// (PredictionEngine, Transform) and by ONNX Runtime on the network's export (network.ExportOnnx),
/// for the MLP 784-512-512-10 and the lab-11 CNN (conv 32 3x3, pool, conv 64 3x3, pool). The networks
/// are trained one epoch on 1,000 digits: their weights do not change the cost of scoring.
/// ONNX Runtime runs with its default threads (one per core), DeepNet with the machine's threads.
/// </summary>
[MemoryDiagnoser]
public class ServingBenchmarks
{
    private const int BatchRows = 1000;

    private MLContext _ml = null!;
    private ITransformer _model = null!;
    private PredictionEngine<Digit, Prediction> _engine = null!;
    private IDataView _batch = null!;
    private InferenceSession _session = null!;
    private Digit _one = null!;
    private float[] _pixels = [];
    private OrtValue _rowInput = null!, _batchInput = null!;
    private RunOptions _runOptions = null!;

    [Params("MLP", "CNN")]
    public string Network { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        var all = _ml.Data.LoadEmbeddedDigits();
        var train = _ml.Data.TakeRows(all, 1000);
        _batch = _ml.Data.Cache(_ml.Data.TakeRows(_ml.Data.SkipRows(all, 8000), BatchRows));
        var options = Network == "MLP"
            ? new DeepNetOptions { HiddenLayers = [512, 512], Epochs = 1, Seed = 1 }
            : new DeepNetOptions
            {
                Layers = [DeepNetLayer.Conv2D(32, 3, padding: 1), DeepNetLayer.MaxPool(2), DeepNetLayer.Conv2D(64, 3, padding: 1), DeepNetLayer.MaxPool(2)],
                Epochs = 1, Seed = 1,
            };
        _model = _ml.Transforms.Conversion.MapValueToKey("Label").Append(_ml.MulticlassClassification.Trainers.DeepNet(options)).Fit(train);
        _engine = _ml.Model.CreatePredictionEngine<Digit, Prediction>(_model);
        _pixels = _batch.GetColumn<VBuffer<float>>("Features").SelectMany(v => v.DenseValues()).ToArray();
        _one = new Digit { Features = _pixels[..784] };

        var transformer = ((IEnumerable<ITransformer>)_model).OfType<NetworkPredictionTransformer>().Single();
        Network network = NetworkSerializer.FromBytes(transformer.Model.Payload.Span);
        using var stream = new MemoryStream();
        network.ExportOnnx(stream);
        _session = new InferenceSession(stream.ToArray());
        long[] sample = [.. network.InputShape.Dims.ToArray().Select(d => (long)d)];
        _rowInput = OrtValue.CreateTensorValueFromMemory(_one.Features, [1, .. sample]);
        _batchInput = OrtValue.CreateTensorValueFromMemory(_pixels, [BatchRows, .. sample]);
        _runOptions = new RunOptions();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rowInput.Dispose();
        _batchInput.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _engine.Dispose();
    }

    [Benchmark(Description = "PredictionEngine, one row")]
    public float PredictionEngineRow() => _engine.Predict(_one).Score[0];

    [Benchmark(Description = "ONNX Runtime, one row")]
    public float OnnxRuntimeRow() => Run(_rowInput);

    [Benchmark(Description = "ML.NET Transform, 1,000 rows")]
    public float TransformBatch()
    {
        float sum = 0;
        foreach (var score in _model.Transform(_batch).GetColumn<VBuffer<float>>("Score")) sum += score.GetValues()[0];
        return sum;
    }

    [Benchmark(Description = "ONNX Runtime, 1,000 rows")]
    public float OnnxRuntimeBatch() => Run(_batchInput);

    private float Run(OrtValue input)
    {
        using var outputs = _session.Run(_runOptions, [NetworkOnnxExport.InputName], [input], [NetworkOnnxExport.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>()[0];
    }

    public sealed class Digit
    {
        public float Label { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }
}
