using Microsoft.ML;
using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Training;

/// <summary>
/// <see cref="DeepNetOptions.Streaming"/>: the labelled rows of an IDataView as an engine <see cref="SampleStream"/>,
/// read afresh by a new cursor on every pass and never held (the engine shuffles them through a bounded pool).
/// Each row's weight is its example weight times its class's weight.
/// </summary>
internal sealed class DataViewSampleStream(IDataView data, TrainingTask task, float[]? classWeights, CancellationToken cancellationToken) : SampleStream
{
    public override TensorShape SampleShape => task.Shape;

    public override int TargetSize => 1;

    public override bool HasWeights => task.WeightName is not null || classWeights is not null;

    public override SampleCursor Open() => new Cursor(new RowReader(data, task, cancellationToken), classWeights);

    private sealed class Cursor(RowReader reader, float[]? classWeights) : SampleCursor
    {
        public override bool MoveNext(Span<float> features, Span<float> targets, out float weight)
        {
            if (!reader.MoveNext(features, out float target, out weight)) return false;
            targets[0] = target;
            if (classWeights is not null) weight *= classWeights[(int)target];
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) reader.Dispose();
        }
    }
}
