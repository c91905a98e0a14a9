using Microsoft.ML.Runtime;
using MLNetDeep.Engine;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Pretraining;
using MLNetDeep.Engine.Training;
using MLNetDeep.Internal;

namespace MLNetDeep.Training;

/// <summary>
/// <see cref="DeepNetOptions.Pretraining"/>: a deep belief network pre-trained greedily on the training
/// features, one RBM per dense hidden layer, whose weights and hidden biases then initialise those layers
/// before back-propagation (Hinton, Osindero and Teh 2006; Bengio et al. 2007).
/// </summary>
internal static class DensePretraining
{
    /// <summary>
    /// The RBM sizes: the units of the dense hidden layers, input side first. Throws, naming
    /// <see cref="DeepNetOptions.Pretraining"/>, when there is none or when a layer is one pre-training cannot
    /// initialise or pass over (maxout, convolution...): an RBM must read what the layer below it writes.
    /// </summary>
    public static int[] HiddenSizes(DeepNetOptions options)
    {
        var sizes = new List<int>();
        foreach (DeepNetLayer layer in NetworkBuilder.HiddenLayers(options))
        {
            if (layer.PretrainedDense is { } dense) sizes.Add(dense.Units);
            else if (!layer.PretrainingPassesOver)
                throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.Pretraining),
                    $"Pre-training initialises dense hidden layers (and passes over dropout) only; the layer list has {layer}. Remove the layer or set Pretraining to null.");
        }
        if (sizes.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.Pretraining),
                "Pre-training needs at least one dense hidden layer to initialise; the network has none.");
        return [.. sizes];
    }

    /// <summary>Checks the pre-training options, naming <see cref="DeepNetOptions.Pretraining"/> and the invalid member.</summary>
    public static void Validate(PretrainingOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.Pretraining), $"Pretraining.{e.ParamName} is invalid: {e.Message}");
        }
    }

    /// <summary>Pre-trains on <paramref name="data"/>'s features and copies the stack into the first dense layers of <paramref name="network"/>.</summary>
    public static void Initialize(Network network, Dataset data, DeepNetOptions options, IChannel channel)
    {
        var pretraining = options.Pretraining ?? throw new InvalidOperationException("Pre-training is off.");
        int[] sizes = HiddenSizes(options);
        var progress = new ChannelProgress<RbmEpochReport>(channel, options.PretrainingProgress);
        progress.Info($"Pre-training a deep belief network {data.SampleShape.Size} -> {string.Join(" -> ", sizes)} on {data.Count} rows, {pretraining.Epochs} epochs per layer.");
        var others = NetworkBuilder.HiddenLayers(options).Select(layer => layer.PretrainedDense?.Activation)
            .OfType<ActivationKind>().Where(activation => activation != ActivationKind.Sigmoid).Distinct().ToArray();
        if (others.Length > 0)
            progress.Info($"The RBMs learn sigmoid units but the dense layers use {string.Join(", ", others)}: fine-tuning starts from weights learned for other units.");

        var compute = ComputeContext.Create(options.NumberOfThreads ?? 0);
        var dbn = DeepBeliefNetwork.Pretrain(data, sizes, pretraining, progress, options.CancellationToken, compute);
        dbn.InitializeDense(network);
    }
}
