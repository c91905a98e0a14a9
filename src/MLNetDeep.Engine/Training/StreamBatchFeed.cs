using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>Batches of a <see cref="SampleStream"/>, a fresh pass each epoch, shuffled through a bounded <see cref="ShufflePool"/>.</summary>
internal sealed class StreamBatchFeed(SampleStream stream, int poolSize, Rng rng) : IBatchFeed
{
    private readonly ShufflePool _pool = new(poolSize, stream.SampleShape.Size, stream.TargetSize);
    private SampleCursor? _cursor;

    public int TargetSize => stream.TargetSize;

    public bool HasWeights => stream.HasWeights;

    public void StartEpoch()
    {
        Stop();
        _cursor = stream.Open();
        _pool.Start(_cursor, rng);
    }

    public int Next(Tensor features, Span<float> targets, Span<float> weights)
    {
        int t = stream.TargetSize, count = 0;
        while (count < features.Batch && _pool.Next(features.Row(count), targets.Slice(count * t, t), out float weight))
        {
            if (stream.HasWeights) weights[count] = weight;
            count++;
        }
        if (count == 0) Stop();
        return count;
    }

    public void Stop()
    {
        _cursor?.Dispose();
        _cursor = null;
    }
}
