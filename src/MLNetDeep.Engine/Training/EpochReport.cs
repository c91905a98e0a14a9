namespace MLNetDeep.Engine.Training;

/// <summary>What one epoch of training did, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Epoch">The epoch just finished, from 1.</param>
/// <param name="Epochs">The number of epochs asked for.</param>
/// <param name="TrainingLoss">The mean training loss over the epoch's steps.</param>
/// <param name="TrainingAccuracy">The fraction of training samples predicted right during the epoch (with dropout active), or null for regression.</param>
/// <param name="ValidationLoss">The loss on the held-out samples, or null without validation.</param>
/// <param name="ValidationAccuracy">The accuracy on the held-out samples, or null.</param>
/// <param name="LayerNames">The layers that have weights, in order.</param>
/// <param name="GradientNorms">For each of those layers, the mean over the epoch's steps of the L2 norm of its weight gradient: the vanishing-gradient picture.</param>
/// <param name="LearningRate">The learning rate used in the epoch.</param>
/// <param name="SamplesPerSecond">Training samples processed per second of the epoch's training steps.</param>
/// <param name="Elapsed">The wall time of the epoch, validation included.</param>
public sealed record EpochReport(
    int Epoch,
    int Epochs,
    float TrainingLoss,
    double? TrainingAccuracy,
    float? ValidationLoss,
    double? ValidationAccuracy,
    IReadOnlyList<string> LayerNames,
    IReadOnlyList<double> GradientNorms,
    float LearningRate,
    double SamplesPerSecond,
    TimeSpan Elapsed)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs}: loss {TrainingLoss:F4}" +
        (TrainingAccuracy is double ta ? $", accuracy {ta:P2}" : "") +
        (ValidationLoss is float vl ? $", validation loss {vl:F4}" : "") +
        (ValidationAccuracy is double va ? $", validation accuracy {va:P2}" : "") +
        $", {SamplesPerSecond:F0} samples/s";
}
