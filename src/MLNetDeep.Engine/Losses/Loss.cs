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
    public float Compute(Tensor output, ReadOnlySpan<float> targets, Tensor? gradient) => Compute(output, targets, default, gradient);

    /// <summary>
    /// The weighted form: with one weight per sample, the loss is the sum of each sample's loss times its
    /// weight, divided by what the unweighted mean divides by (not by the sum of the weights), and the
    /// gradient is weighted the same way. So a weight of 2 counts a sample twice, doubling every weight
    /// doubles the gradient, and all weights 1 give the very bits of the unweighted form. An empty
    /// <paramref name="weights"/> is the unweighted form.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is neither empty nor one per sample.</exception>
    public abstract float Compute(Tensor output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, Tensor? gradient);

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

    /// <summary>Throws unless <paramref name="weights"/> is empty or holds one weight per sample.</summary>
    protected static void CheckWeights(Tensor output, ReadOnlySpan<float> weights)
    {
        if (!weights.IsEmpty && weights.Length != output.Batch)
            throw new ArgumentException($"Sample weights must be one per sample ({output.Batch}); got {weights.Length}.", nameof(weights));
    }

    /// <summary>Sample <paramref name="row"/>'s weight: 1 when there are none.</summary>
    protected static float WeightOf(ReadOnlySpan<float> weights, int row) => weights.IsEmpty ? 1f : weights[row];

    /// <summary>Creates a loss from its tag, as written by <see cref="ToString"/>.</summary>
    public static Loss FromName(string name) => name switch
    {
        nameof(SoftmaxCrossEntropy) => new SoftmaxCrossEntropy(),
        nameof(MeanSquaredError) => new MeanSquaredError(),
        _ => SigmoidBinaryCrossEntropy.FromTag(name) ?? throw new ArgumentException($"Unknown loss '{name}'.", nameof(name)),
    };
}
