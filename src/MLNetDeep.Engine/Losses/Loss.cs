using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Losses;

/// <summary>
/// A training objective on the network's raw outputs, and the transform that turns those
/// outputs into predictions (probabilities for the classification losses).
/// </summary>
public abstract class Loss
{
    /// <summary>The number of target values per sample for an output of <paramref name="outputSize"/> values.</summary>
    public abstract int TargetSize(int outputSize);

    /// <summary>
    /// Returns the mean loss of the batch and, when <paramref name="gradient"/> is not null,
    /// writes dLoss/dOutput into it (already divided by what the mean divides by).
    /// Throws <see cref="ArgumentOutOfRangeException"/> for targets the loss cannot take.
    /// </summary>
    public abstract float Compute(Tensor output, ReadOnlySpan<float> targets, Tensor? gradient);

    /// <summary>Turns raw outputs into predictions in place (softmax, sigmoid or identity).</summary>
    public abstract void Activate(Span<float> outputs, int batch, int width);

    /// <summary>
    /// Counts correct predictions in the batch, or returns -1 when the loss has no notion of
    /// accuracy (regression).
    /// </summary>
    public abstract int CountCorrect(Tensor output, ReadOnlySpan<float> targets);

    /// <summary>A short name, also the tag in model files.</summary>
    public abstract override string ToString();

    /// <summary>Throws unless there are <see cref="TargetSize"/> targets for every sample.</summary>
    protected void CheckTargets(Tensor output, ReadOnlySpan<float> targets)
    {
        long expected = (long)output.Batch * TargetSize(output.SampleSize);
        if (targets.Length != expected)
            throw new ArgumentException($"{this} expects {TargetSize(output.SampleSize)} target value(s) per sample ({expected} for {output.Batch} samples); got {targets.Length}.", nameof(targets));
    }

    /// <summary>Creates a loss from its tag, as written by <see cref="ToString"/>.</summary>
    public static Loss FromName(string name) => name switch
    {
        nameof(SoftmaxCrossEntropy) => new SoftmaxCrossEntropy(),
        nameof(SigmoidBinaryCrossEntropy) => new SigmoidBinaryCrossEntropy(),
        nameof(MeanSquaredError) => new MeanSquaredError(),
        _ => throw new ArgumentException($"Unknown loss '{name}'.", nameof(name)),
    };
}
