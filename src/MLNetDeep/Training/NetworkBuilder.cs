using MLNetDeep.Engine;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Training;

/// <summary>Turns <see cref="DeepNetOptions"/> into an engine network for a given input shape and output width.</summary>
internal static class NetworkBuilder
{
    /// <summary>
    /// The network of the options, with the scaling layers <paramref name="scaling"/> asks for (first and last), if any,
    /// drawn from <paramref name="seed"/> (null: the options' seed). With <paramref name="members"/> above 1, the hidden
    /// and output layers are <paramref name="members"/> networks side by side in an <see cref="Ensemble"/> between the
    /// scaling layers (see <see cref="EnsembleTraining"/>).
    /// </summary>
    public static Network Build(DeepNetOptions options, TensorShape inputShape, int outputs, Loss loss, LearnedScaling? scaling = null, int? seed = null, int members = 1)
    {
        var initializer = Initializer.FromKind(options.Initializer, options.InitializerScale ?? float.NaN);
        var hidden = HiddenLayers(options, binary: loss is SigmoidBinaryCrossEntropy);
        if (TabularDefaults.EmbeddingSigma(options, loss is MeanSquaredError) is { } sigma) hidden = WithPeriodicEmbedding(hidden, sigma, options, inputShape);
        if (inputShape.Rank != 3 && hidden.FirstOrDefault(l => l.NeedsImage) is { } image)
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.Layers),
                $"{image} needs image features [channels, height, width], but the features column '{options.FeatureColumnName}' has no image dimensions (its shape is {inputShape}). " +
                "Load images with LoadFromIdx or ExtractPixels, whose columns carry their dimensions, or give a flat column's dimensions in ImageShape.");
        var layers = new List<Layer>();
        if (scaling?.InputLayer() is { } input) layers.Add(input);
        if (members == 1)
        {
            layers.AddRange(hidden.SelectMany(spec => spec.Build(options, initializer)));
            layers.Add(new Dense(outputs, initializer));
        }
        else
        {
            layers.Add(new Ensemble(Enumerable.Range(0, members).Select(_ =>
                new Sequential([.. hidden.SelectMany(spec => spec.Build(options, initializer)), new Dense(outputs, initializer)]))));
        }
        if (scaling?.OutputLayer() is { } output) layers.Add(output);
        try
        {
            return new Network(inputShape, layers, loss, (ulong)(uint)(seed ?? options.Seed));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentOutOfRangeException(nameof(DeepNetOptions.Layers),
                $"The layers do not fit the features column '{options.FeatureColumnName}' of shape {inputShape}: {e.Message}");
        }
    }

    /// <summary>The hidden layers the options describe: <see cref="DeepNetOptions.Layers"/>, or those made from HiddenLayers, Activation and Dropout (the recipe's own for a <paramref name="binary"/> task).</summary>
    public static IList<DeepNetLayer> HiddenLayers(DeepNetOptions options, bool binary = false) => options.Layers ?? DefaultLayers(options, TabularDefaults.Dropout(options, binary));

    /// <summary>Periodic embeddings of the features (<see cref="DeepNetOptions.PeriodicEmbeddingSigma"/>) before <paramref name="hidden"/>.</summary>
    private static List<DeepNetLayer> WithPeriodicEmbedding(IList<DeepNetLayer> hidden, float sigma, DeepNetOptions options, TensorShape inputShape)
    {
        const string name = nameof(DeepNetOptions.PeriodicEmbeddingSigma);
        if (!(sigma > 0) || !float.IsFinite(sigma)) throw new ArgumentOutOfRangeException(name, sigma, "PeriodicEmbeddingSigma, the deviation of the embeddings' frequencies, must be positive and finite (or null for no embeddings).");
        if (inputShape.Rank != 1)
            throw new ArgumentOutOfRangeException(name, sigma,
                $"Periodic embeddings embed the features of a vector; the features column '{options.FeatureColumnName}' has shape {inputShape}. Set PeriodicEmbeddingSigma to null for images.");
        if (options.Pretraining is not null)
            throw new ArgumentOutOfRangeException(name, sigma, "Pretraining initialises the dense layers from the features themselves, not from their periodic embeddings: set PeriodicEmbeddingSigma or Pretraining to null.");
        return [DeepNetLayer.PeriodicEmbedding(sigma: sigma), .. hidden];
    }

    private static List<DeepNetLayer> DefaultLayers(DeepNetOptions options, float dropout)
    {
        var list = new List<DeepNetLayer>();
        foreach (int units in options.HiddenLayers)
        {
            list.Add(options.Activation == ActivationKind.Maxout
                ? DeepNetLayer.Maxout(units, options.MaxoutPieces)
                : DeepNetLayer.Dense(units, options.Activation));
            if (dropout > 0) list.Add(DeepNetLayer.Dropout(dropout));
        }
        return list;
    }
}
