using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Training;

/// <summary>
/// A data set whose targets are mapped by the inverse of the network's output scaling, t / scale + centre (so that
/// (z - centre) * scale gives t back): the network trains on standardised targets. Features and weights pass through.
/// </summary>
internal sealed class StandardizedTargets(Dataset samples, float centre, float scale) : Dataset
{
    public override int Count => samples.Count;

    public override TensorShape SampleShape => samples.SampleShape;

    public override int TargetSize => samples.TargetSize;

    public override bool HasWeights => samples.HasWeights;

    public override float Weight(int index) => samples.Weight(index);

    public override void Read(int index, Span<float> features, Span<float> targets)
    {
        samples.Read(index, features, targets);
        Map(targets, centre, scale);
    }

    public override void ReadTargets(int index, Span<float> targets)
    {
        samples.ReadTargets(index, targets);
        Map(targets, centre, scale);
    }

    /// <summary>The same mapping for a stream read afresh each epoch.</summary>
    public static SampleStream Of(SampleStream stream, float centre, float scale) => new Stream(stream, centre, scale);

    private static void Map(Span<float> targets, float centre, float scale)
    {
        for (int i = 0; i < targets.Length; i++) targets[i] = targets[i] / scale + centre;
    }

    private sealed class Stream(SampleStream inner, float centre, float scale) : SampleStream
    {
        public override TensorShape SampleShape => inner.SampleShape;

        public override int TargetSize => inner.TargetSize;

        public override bool HasWeights => inner.HasWeights;

        public override SampleCursor Open() => new Cursor(inner.Open(), centre, scale);
    }

    private sealed class Cursor(SampleCursor inner, float centre, float scale) : SampleCursor
    {
        public override bool MoveNext(Span<float> features, Span<float> targets, out float weight)
        {
            if (!inner.MoveNext(features, targets, out weight)) return false;
            Map(targets, centre, scale);
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
        }
    }
}
