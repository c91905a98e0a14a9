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

    /// <summary>Labelled rows given by the passes so far; the last pass's count once it has ended.</summary>
    public long LastPassRows { get; private set; }

    public override SampleCursor Open() => new Cursor(this, new RowReader(data, task, cancellationToken));

    private sealed class Cursor(DataViewSampleStream stream, RowReader reader) : SampleCursor
    {
        private long _rows;

        public override bool MoveNext(Span<float> features, Span<float> targets, out float weight)
        {
            if (!reader.MoveNext(features, out float target, out weight))
            {
                stream.LastPassRows = _rows;
                return false;
            }
            _rows++;
            targets[0] = target;
            if (stream.HasWeightsOfClasses) weight *= stream.ClassWeight(target);
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) reader.Dispose();
        }
    }

    private bool HasWeightsOfClasses => classWeights is not null;

    private float ClassWeight(float target) => classWeights![(int)target];
}
