using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Training;

namespace MLNetDeep;

/// <summary>
/// What DeepNet scales to the size of the data when the options leave it open (null), and the tabular recipe
/// (<see cref="DeepNetOptions.ForTabular"/>). A fixed number of epochs is too few steps for a few hundred rows and
/// needlessly many for a million; a fixed number of steps, bounded, suits both.
/// </summary>
internal static class TabularDefaults
{
    /// <summary>The gradient steps the epochs are scaled to give.</summary>
    public const int TargetSteps = 3000;

    public const int MinEpochs = 10, MaxEpochs = 300;

    /// <summary>rows / 32 rounded down to a power of two, from 16 to 256: about 32 steps an epoch until the batches reach 256.</summary>
    public static int BatchSize(long rows)
    {
        long target = Math.Clamp(rows / 32, 16, 256);
        return (int)(1L << (63 - (int)long.LeadingZeroCount(target)));
    }

    /// <summary>Enough epochs of <paramref name="batchSize"/> over <paramref name="rows"/> for <see cref="TargetSteps"/> steps, within [10, 300].</summary>
    public static int Epochs(long rows, int batchSize)
    {
        long stepsPerEpoch = Math.Max(1, (rows + batchSize - 1) / batchSize);
        return (int)Math.Clamp((TargetSteps + stepsPerEpoch - 1) / stepsPerEpoch, MinEpochs, MaxEpochs);
    }

    public static DeepNetOptions Recipe() => new()
    {
        InputScaling = InputScaling.RobustClipped,
        HiddenLayers = [256, 128],
        Activation = ActivationKind.ReLU,
        Dropout = 0.1f,
        Optimizer = OptimizerKind.Adam,
        LearningRate = 2e-3f,
        LearningRateSchedule = CosineSchedule.OverAllEpochs(),
        BatchSize = 64,
        Epochs = null,
    };
}
