using Microsoft.ML;

namespace MLNetDeep.Internal;

/// <summary>
/// The <see cref="TrainerInfo"/> of the DeepNet trainers. TrainerInfo's only constructor is internal in ML.NET 5.0
/// (its own trainers make it through TrainerEstimatorBase, whose constructor is not public either).
/// </summary>
internal static class DeepNetTrainerInfo
{
    /// <summary>
    /// What a DeepNet trainer is: it needs normalised features (gradient descent on raw scales trains badly);
    /// no calibration (a binary network's Probability is its own sigmoid); no cache (it reads the data once into
    /// memory, or, streaming, reads it afresh each epoch precisely so as not to hold it); validation data and
    /// incremental training (a previous model) are supported; a test set is not.
    /// </summary>
    public static TrainerInfo Create() =>
        new(normalization: true, calibration: false, caching: false, supportValid: true, supportIncrementalTrain: true, supportTest: false);
}
