using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

public class PredictionEngineTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void PredictionEngineAgreesWithTransformBeforeAndAfterSaving()
    {
        MulticlassRow[] rows = HandData.ManyMulticlass(50);
        (ITransformer model, IDataView keyed) = TestPipelines.Multiclass(_ml, rows);
        using var stream = new MemoryStream();
        _ml.Model.Save(model, keyed.Schema, stream);
        stream.Position = 0;
        ITransformer loaded = _ml.Model.Load(stream, out _);

        IDataView scored = model.Transform(keyed);
        float[][] scores = scored.GetColumn<float[]>("Score").ToArray();
        string[] labels = scored.GetColumn<string>("PredictedLabel").ToArray();
        foreach (ITransformer candidate in new[] { model, loaded })
        {
            var engine = _ml.Model.CreatePredictionEngine<MulticlassRow, MulticlassPrediction>(candidate);
            for (int i = 0; i < rows.Length; i++)
            {
                MulticlassPrediction prediction = engine.Predict(rows[i]);
                Assert.Equal(scores[i], prediction.Score);
                Assert.Equal(labels[i], prediction.PredictedLabel);
            }
        }
    }
}
