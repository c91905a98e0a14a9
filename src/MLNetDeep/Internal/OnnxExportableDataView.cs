using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;

namespace MLNetDeep.Internal;

/// <summary>
/// What <see cref="NetworkPredictionTransformer.Transform"/> returns: the scored view, seen by ML.NET's
/// ONNX converter as one more step of the pipeline it walks back through (<see cref="ITransformCanSaveOnnx"/>,
/// as ML.NET's own scorers are). Rows come from the scored view unchanged.
/// </summary>
/// <remarks>
/// <see cref="ICanSaveOnnx.CanSaveOnnx"/> is always true: the converter answers false by leaving the
/// step out with a warning and writing a model without the network, so a network that cannot be
/// exported throws from <see cref="ISaveAsOnnx.SaveAsOnnx"/> instead, naming what stopped it.
/// </remarks>
internal sealed class OnnxExportableDataView(IDataView scored, IDataView source, NetworkPredictionTransformer transformer) : ITransformCanSaveOnnx
{
    public IDataView Source => source;

    public bool CanShuffle => scored.CanShuffle;

    public DataViewSchema Schema => scored.Schema;

    public long? GetRowCount() => scored.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        scored.GetRowCursor(columnsNeeded, rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        scored.GetRowCursorSet(columnsNeeded, n, rand);

    public bool CanSaveOnnx(OnnxContext ctx) => true;

    public void SaveAsOnnx(OnnxContext ctx) => NetworkOnnxColumns.Write(ctx, transformer, source.Schema, Schema);

    // The transformer, not this view, is what a model file holds (MLContext.Model.Save).
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException($"A DeepNet scored view is not saved on its own; save the {nameof(NetworkPredictionTransformer)} with MLContext.Model.Save.");
}
