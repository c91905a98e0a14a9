using Microsoft.ML;
using MLNetDeep.Internal;

namespace MLNetDeep;

// The part of the transformer that touches ML.NET internals.
public sealed partial class NetworkPredictionTransformer
    : ISingleFeaturePredictionTransformer // ML.NET's internal, non-generic form: PermutationFeatureImportance on a whole chain looks for it.
{
    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, ToState());

    /// <summary><paramref name="scored"/> as a step ML.NET's ONNX converter can walk through and export (see <see cref="OnnxExportableDataView"/>).</summary>
    private IDataView ExportableToOnnx(IDataView scored, IDataView input) => new OnnxExportableDataView(scored, input, this);
}
