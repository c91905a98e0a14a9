using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;

namespace MLNetDeep;

/// <summary>
/// One entry of <see cref="DeepNetOptions.Layers"/>: a description of a hidden layer that the
/// trainer turns into engine layers once it knows the input shape. Build lists with the static
/// methods: <c>[DeepNetLayer.Dense(512, ActivationKind.ReLU), DeepNetLayer.Dropout(0.3f), DeepNetLayer.Maxout(256, 3)]</c>,
/// or for images <c>[DeepNetLayer.Conv2D(32, 3, ConvPadding.Same, activation: ActivationKind.Identity), DeepNetLayer.BatchNorm(),
/// DeepNetLayer.Activation(ActivationKind.ReLU), DeepNetLayer.GlobalAveragePool()]</c>.
/// </summary>
public abstract class DeepNetLayer
{
    private protected DeepNetLayer() { }

    /// <summary>A fully connected layer of <paramref name="units"/> followed by <paramref name="activation"/>.</summary>
    public static DeepNetLayer Dense(int units, ActivationKind activation = ActivationKind.ReLU)
    {
        if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), units, "A dense layer needs at least one unit.");
        return new DenseSpec(units, activation);
    }

    /// <summary>Inverted dropout with the given rate, in [0, 1).</summary>
    public static DeepNetLayer Dropout(float rate)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        return new DropoutSpec(rate);
    }

    /// <summary>A Maxout layer: <paramref name="units"/> units, each the maximum of <paramref name="pieces"/> linear functions.</summary>
    public static DeepNetLayer Maxout(int units, int pieces)
    {
        if (units < 1) throw new ArgumentOutOfRangeException(nameof(units), units, "A maxout layer needs at least one unit.");
        if (pieces < 2) throw new ArgumentOutOfRangeException(nameof(pieces), pieces, "Maxout needs at least 2 pieces.");
        return new DenseSpec(units * pieces, ActivationKind.Maxout, pieces);
    }

    /// <summary>
    /// A 2-D convolution of <paramref name="filters"/> square kernels of <paramref name="kernelSize"/>,
    /// followed by <paramref name="activation"/>. Needs image features: [C, H, W] from ExtractPixels
    /// or [1, rows, cols] from LoadFromIdx. <paramref name="padding"/> zeros are added on each side.
    /// </summary>
    public static DeepNetLayer Conv2D(int filters, int kernelSize, int stride = 1, int padding = 0, ActivationKind activation = ActivationKind.ReLU)
    {
        if (filters < 1) throw new ArgumentOutOfRangeException(nameof(filters), filters, "A convolution needs at least one filter.");
        if (kernelSize < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The kernel size must be at least 1.");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be at least 1.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "The padding must not be negative.");
        return new ConvSpec(filters, kernelSize, stride, padding, activation);
    }

    /// <summary>
    /// A 2-D convolution whose padding is named, as Keras's <c>padding="same"</c>: <see cref="ConvPadding.Same"/> adds
    /// (kernel - 1) / 2 zeros a side, so that at stride 1 the output keeps the image's height and width (at stride s it
    /// is ceil(H / s)); it needs an odd <paramref name="kernelSize"/> and refuses an even one. <see cref="ConvPadding.Valid"/> adds none.
    /// </summary>
    public static DeepNetLayer Conv2D(int filters, int kernelSize, ConvPadding padding, int stride = 1, ActivationKind activation = ActivationKind.ReLU)
    {
        if (kernelSize < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The kernel size must be at least 1.");
        return Conv2D(filters, kernelSize, stride, Engine.Layers.Conv2D.PaddingFor(padding, kernelSize), activation);
    }

    /// <summary>
    /// Batch normalisation (Keras's BatchNormalization, PyTorch's BatchNorm1d/2d): after a dense layer each feature,
    /// after a convolution each channel, is normalised with the batch's mean and variance in training and with running
    /// statistics at prediction, then scaled by a learnt γ (starting at 1) and shifted by a learnt β (at 0). The
    /// <paramref name="momentum"/> follows PyTorch's convention, running = (1 - momentum) running + momentum batch:
    /// the default 0.1 is Keras's momentum=0.9; Keras's default 0.99 is 0.01 here. <paramref name="epsilon"/> is
    /// added to the variance (PyTorch's 1e-5; Keras uses 1e-3). Right after a dense or convolution layer without its
    /// own activation (<see cref="ActivationKind.Identity"/>), it is folded into that layer at prediction; put the
    /// activation after it with <see cref="Activation(ActivationKind)"/>: <c>Conv2D(32, 3, ConvPadding.Same, activation: ActivationKind.Identity),
    /// BatchNorm(), Activation(ActivationKind.ReLU)</c>.
    /// </summary>
    public static DeepNetLayer BatchNorm(float momentum = 0.1f, float epsilon = 1e-5f)
    {
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1] (PyTorch's convention: the weight of each batch).");
        if (!(epsilon > 0) || !float.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive and finite.");
        return new NormSpec(batch: true, momentum, epsilon);
    }

    /// <summary>
    /// Layer normalisation (PyTorch's LayerNorm over the whole sample): each sample is normalised over all its values,
    /// the features of a vector or all channels and pixels of an image, then scaled and shifted by a learnt γ and β per
    /// value. The same in training and at prediction, whatever the batch size. <paramref name="epsilon"/> (1e-5) is
    /// added to the variance.
    /// </summary>
    public static DeepNetLayer LayerNorm(float epsilon = 1e-5f)
    {
        if (!(epsilon > 0) || !float.IsFinite(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive and finite.");
        return new NormSpec(batch: false, 0f, epsilon);
    }

    /// <summary>Global average pooling (Keras's GlobalAveragePooling2D): each channel of an image becomes its mean, [C, H, W] to [C].</summary>
    public static DeepNetLayer GlobalAveragePool() => new GlobalPoolSpec();

    /// <summary>An activation on its own, for example after <see cref="BatchNorm"/> (Keras's Activation layer).</summary>
    public static DeepNetLayer Activation(ActivationKind activation)
    {
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        return new ActivationSpec(activation);
    }

    /// <summary>Max-pooling over <paramref name="size"/> x <paramref name="size"/> windows (stride = size unless given).</summary>
    public static DeepNetLayer MaxPool(int size, int? stride = null) => new PoolSpec(size, stride, max: true);

    /// <summary>Average-pooling over <paramref name="size"/> x <paramref name="size"/> windows (stride = size unless given).</summary>
    public static DeepNetLayer AveragePool(int size, int? stride = null) => new PoolSpec(size, stride, max: false);

    /// <summary>Flattens an image to a vector (dense layers also read images as vectors, so this is optional).</summary>
    public static DeepNetLayer Flatten() => new FlattenSpec();

    /// <summary>
    /// A residual block (He et al. 2016): <paramref name="layers"/> run in order and their output is added to the
    /// block's input, so that the block learns a correction to the identity and gradients reach the layers below
    /// unchanged through the skip: very deep stacks train. When the layers change the shape, the input is first
    /// mapped to it by a learnt projection, a dense layer for vectors, a 1x1 convolution (with the matching stride)
    /// for images. Blocks nest, and hold any of the other layers: for example
    /// <c>DeepNetLayer.Residual(DeepNetLayer.Dense(256), DeepNetLayer.Dense(256, ActivationKind.Identity))</c>.
    /// </summary>
    public static DeepNetLayer Residual(params DeepNetLayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentOutOfRangeException(nameof(layers), "A residual block needs at least one layer.");
        if (layers.Any(l => l is null)) throw new ArgumentOutOfRangeException(nameof(layers), "A residual block's layers must not be null.");
        return new ResidualSpec([.. layers]);
    }

    /// <summary>True for layers that need image-shaped input.</summary>
    internal virtual bool NeedsImage => false;

    /// <summary>Turns the description into engine layers.</summary>
    internal abstract IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer);

    /// <summary>
    /// The dense layer that RBM pre-training (<see cref="DeepNetOptions.Pretraining"/>) initialises from this
    /// entry, as its units and activation; null when the entry has none it can initialise.
    /// </summary>
    internal virtual (int Units, ActivationKind Activation)? PretrainedDense => null;

    /// <summary>True when pre-training can pass over this entry because it has no weights (dropout).</summary>
    internal virtual bool PretrainingPassesOver => false;

    internal static Layer Activation(ActivationKind kind, DeepNetOptions options, int pieces = 0) => kind switch
    {
        ActivationKind.ReLU => new Relu(),
        ActivationKind.Sigmoid => new Sigmoid(),
        ActivationKind.Tanh => new Tanh(),
        ActivationKind.LeakyReLU => new LeakyRelu(options.LeakyReluAlpha),
        ActivationKind.ELU => new Elu(options.EluAlpha),
        ActivationKind.Maxout => new Maxout(pieces > 0 ? pieces : options.MaxoutPieces),
        ActivationKind.Identity => new Identity(),
        ActivationKind.GELU => new Gelu(),
        ActivationKind.SiLU => new Silu(),
        ActivationKind.SELU => new Selu(),
        ActivationKind.Softplus => new Softplus(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation."),
    };

    private sealed class DenseSpec(int units, ActivationKind activation, int pieces = 0) : DeepNetLayer
    {
        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return new Dense(units, initializer);
            if (activation != ActivationKind.Identity) yield return Activation(activation, options, pieces);
        }

        // An RBM's hidden units are the dense units, which Maxout pools: the layer above would read fewer values.
        internal override (int Units, ActivationKind Activation)? PretrainedDense =>
            activation == ActivationKind.Maxout ? null : (units, activation);

        public override string ToString() => activation == ActivationKind.Maxout ? $"Maxout({units / pieces}, {pieces})" : $"Dense({units}, {activation})";
    }

    private sealed class ConvSpec(int filters, int kernelSize, int stride, int padding, ActivationKind activation) : DeepNetLayer
    {
        internal override bool NeedsImage => true;

        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return new Engine.Layers.Conv2D(filters, kernelSize, stride, padding, initializer);
            if (activation != ActivationKind.Identity) yield return Activation(activation, options);
        }

        public override string ToString() => $"Conv2D({filters}, {kernelSize}, stride {stride}, padding {padding}, {activation})";
    }

    private sealed class PoolSpec : DeepNetLayer
    {
        private readonly int _size;
        private readonly int? _stride;
        private readonly bool _max;

        public PoolSpec(int size, int? stride, bool max)
        {
            if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "The pooling window must be at least 1.");
            if (stride is < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be at least 1.");
            (_size, _stride, _max) = (size, stride, max);
        }

        internal override bool NeedsImage => true;

        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return _max ? new MaxPool2D(_size, _stride) : new AveragePool2D(_size, _stride);
        }

        public override string ToString() => $"{(_max ? "MaxPool" : "AveragePool")}({_size})";
    }

    private sealed class FlattenSpec : DeepNetLayer
    {
        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return new Engine.Layers.Flatten();
        }

        public override string ToString() => "Flatten";
    }

    private sealed class ResidualSpec(DeepNetLayer[] layers) : DeepNetLayer
    {
        internal override bool NeedsImage => layers.Any(l => l.NeedsImage);

        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            Layer[] inner = [.. layers.SelectMany(l => l.Build(options, initializer))];
            yield return new Engine.Layers.Residual(inner);
        }

        public override string ToString() => $"Residual({string.Join(", ", layers.Select(l => l.ToString()))})";
    }

    private sealed class NormSpec(bool batch, float momentum, float epsilon) : DeepNetLayer
    {
        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return batch ? new Engine.Layers.BatchNorm(momentum, epsilon) : new Engine.Layers.LayerNorm(epsilon);
        }

        public override string ToString() => batch ? $"BatchNorm(momentum {momentum}, epsilon {epsilon})" : $"LayerNorm(epsilon {epsilon})";
    }

    private sealed class GlobalPoolSpec : DeepNetLayer
    {
        internal override bool NeedsImage => true;

        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return new GlobalAveragePool2D();
        }

        public override string ToString() => "GlobalAveragePool";
    }

    private sealed class ActivationSpec(ActivationKind activation) : DeepNetLayer
    {
        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return Activation(activation, options);
        }

        public override string ToString() => $"Activation({activation})";
    }

    private sealed class DropoutSpec(float rate) : DeepNetLayer
    {
        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return new Engine.Layers.Dropout(rate);
        }

        internal override bool PretrainingPassesOver => true;

        public override string ToString() => $"Dropout({rate})";
    }

    /// <summary>
    /// Periodic numerical embeddings (RealMLP's PBLD, Holzmüller et al. 2024): each input feature x becomes itself
    /// and <paramref name="outputs"/> learnt combinations of <paramref name="frequencies"/> cosines cos(2π f x + φ)
    /// of its own trained frequencies (drawn with deviation <paramref name="sigma"/>) and phases, so the dense layers
    /// after it see a feature's fine structure. Put it first, on a vector of features (after the learned input scaling,
    /// which DeepNet adds before every layer listed): the output has 1 + outputs values a feature.
    /// </summary>
    public static DeepNetLayer PeriodicEmbedding(int frequencies = 16, int outputs = 3, float sigma = 0.1f)
    {
        _ = new Engine.Layers.PeriodicEmbedding(frequencies, outputs, sigma); // checks the arguments, naming the one at fault
        return new PeriodicEmbeddingSpec(frequencies, outputs, sigma);
    }

    private sealed class PeriodicEmbeddingSpec(int frequencies, int outputs, float sigma) : DeepNetLayer
    {
        internal override IEnumerable<Layer> Build(DeepNetOptions options, Initializer initializer)
        {
            yield return new Engine.Layers.PeriodicEmbedding(frequencies, outputs, sigma);
        }

        public override string ToString() => $"PeriodicEmbedding({frequencies}, {outputs}, sigma {sigma})";
    }
}
