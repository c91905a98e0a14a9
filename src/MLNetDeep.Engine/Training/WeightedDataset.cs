using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Training;

/// <summary>
/// A dataset whose samples carry a weight in the loss: an example weight, a class weight, or their product.
/// A weight of 2 counts a sample as twice; 0 leaves it out of the gradient while it is still read.
/// </summary>
public sealed class WeightedDataset : Dataset
{
    private readonly Dataset _samples;
    private readonly float[] _weights;

    /// <summary>Gives sample i of <paramref name="samples"/> the weight <paramref name="weights"/>[i] (not copied).</summary>
    /// <exception cref="ArgumentException">The counts differ, or a weight is negative, NaN or infinite.</exception>
    public WeightedDataset(Dataset samples, float[] weights)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length < samples.Count)
            throw new ArgumentException($"{samples.Count} samples need as many weights; got {weights.Length}.", nameof(weights));
        for (int i = 0; i < samples.Count; i++)
            if (!(weights[i] >= 0) || float.IsInfinity(weights[i]))
                throw new ArgumentException($"Sample {i} has weight {weights[i]}; weights must be finite and not negative.", nameof(weights));
        _samples = samples;
        _weights = weights;
    }

    /// <inheritdoc/>
    public override int Count => _samples.Count;

    /// <inheritdoc/>
    public override TensorShape SampleShape => _samples.SampleShape;

    /// <inheritdoc/>
    public override int TargetSize => _samples.TargetSize;

    /// <inheritdoc/>
    public override bool HasWeights => true;

    /// <inheritdoc/>
    public override float Weight(int index) => _weights[index];

    /// <inheritdoc/>
    public override void Read(int index, Span<float> features, Span<float> targets) => _samples.Read(index, features, targets);

    /// <inheritdoc/>
    public override void ReadTargets(int index, Span<float> targets) => _samples.ReadTargets(index, targets);
}
