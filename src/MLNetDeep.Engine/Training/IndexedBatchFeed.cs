using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>Batches of a <see cref="Dataset"/> in the order of an index array, which each epoch shuffles in place when a generator is given.</summary>
internal sealed class IndexedBatchFeed(Dataset data, int[] order, Rng? shuffle) : IBatchFeed
{
    private int _position;

    public int TargetSize => data.TargetSize;

    public bool HasWeights => data.HasWeights;

    public void StartEpoch()
    {
        shuffle?.Shuffle(order);
        _position = 0;
    }

    public int Next(Tensor features, Span<float> targets, Span<float> weights)
    {
        int count = Math.Min(features.Batch, order.Length - _position);
        int t = data.TargetSize;
        for (int i = 0; i < count; i++)
        {
            int index = order[_position + i];
            data.Read(index, features.Row(i), targets.Slice(i * t, t));
            if (data.HasWeights) weights[i] = data.Weight(index);
        }
        _position += count;
        return count;
    }

    public void Stop() { }
}
