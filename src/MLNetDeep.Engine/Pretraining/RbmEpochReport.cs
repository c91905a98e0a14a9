namespace MLNetDeep.Engine.Pretraining;

/// <summary>What one epoch of RBM training did, measured on the training samples with the weights at the epoch's end.</summary>
/// <param name="Epoch">The epoch just finished, from 1.</param>
/// <param name="Epochs">The number of epochs asked for.</param>
/// <param name="MeanFreeEnergy">The mean free energy F(v) of the training samples; it should fall as the model fits them.</param>
/// <param name="ReconstructionError">The mean squared difference between the samples and their mean-field reconstructions (see <see cref="Rbm.ReconstructionError"/>).</param>
/// <param name="SamplesPerSecond">Training samples processed per second of the epoch's updates.</param>
/// <param name="Elapsed">The wall time of the epoch, the measurements included.</param>
/// <param name="Layer">The RBM's index in a deep belief network's stack, from 0 at the visible layer; 0 for a lone RBM.</param>
public sealed record RbmEpochReport(
    int Epoch,
    int Epochs,
    double MeanFreeEnergy,
    double ReconstructionError,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    int Layer = 0)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"layer {Layer} epoch {Epoch}/{Epochs}: free energy {MeanFreeEnergy:F3}, reconstruction error {ReconstructionError:F5}, {SamplesPerSecond:F0} samples/s";
}
