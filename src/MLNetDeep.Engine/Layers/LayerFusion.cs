using MLNetDeep.Engine.Activations;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Fuses neighbouring layers that run faster as one, in every block of layers of a network (a
/// <see cref="Sequential"/>, its own included) when the network is built with fusion on (the default; a network
/// built with <c>fuseLayers: false</c> runs each layer on its own, which tests use to compare the two). Fusion
/// never changes a training result's bits.
/// </summary>
/// <remarks>
/// Three pairs. A <see cref="Conv2D"/> followed by a <see cref="Relu"/>: the convolution applies the ReLU to
/// each image's outputs while they are still in its core's cache, and its derivative to the gradient it receives;
/// the ReLU then passes that convolution's outputs, and the gradients, through. Two passes over the activations a
/// step fewer. When a <see cref="MaxPool2D"/> follows (the ReLU or the convolution itself), the convolution also
/// pools each image's outputs in cache and, backward, routes the pooling's gradient to the winners itself, so
/// the full-resolution outputs and their gradient never reach memory: four passes over the largest tensors of a
/// CNN a step fewer. A <see cref="Dense"/> followed by a <see cref="Relu"/> likewise: the ReLU on each row in the pass
/// that adds the bias, its derivative in the pass that sums the bias gradient; when a <see cref="Dropout"/> follows
/// the ReLU, the dense layer also applies the dropout's mask to the gradient in that pass. A <see cref="BatchNorm"/> of
/// images followed by a <see cref="Relu"/>, in training: the normalisation rectifies each plane as it writes it and
/// applies the ReLU's derivative in the two passes that read the gradient.
/// A <see cref="Dense"/> or <see cref="Conv2D"/> followed by a <see cref="BatchNorm"/>, at inference only: the
/// normalisation's scale and shift are folded into the layer (the convolution's filters and biases, the dense
/// layer's bias pass), one pass over the outputs fewer. This one changes the rounding, not the values: the folded
/// network predicts the unfolded one's outputs within 1e-5 (<c>BatchNormTests</c>); training is never folded.
/// </remarks>
internal static class LayerFusion
{
    private static void Pool(Conv2D conv, MaxPool2D pool)
    {
        conv.PooledBy = pool;
        pool.FusedInto = conv;
    }

    /// <summary>Fuses the pairs of <paramref name="sequence"/>, built layers in the order they run.</summary>
    public static void Apply(IReadOnlyList<Layer> sequence)
    {
        for (int i = 0; i + 1 < sequence.Count; i++)
        {
            if (sequence[i] is Conv2D conv && sequence[i + 1] is Relu relu)
            {
                conv.Rectifies = true;
                relu.FusedInto = conv;
                if (i + 2 < sequence.Count && sequence[i + 2] is MaxPool2D pool) Pool(conv, pool);
            }
            else if (sequence[i] is Conv2D pooling && sequence[i + 1] is MaxPool2D pool)
            {
                Pool(pooling, pool);
            }
            else if (sequence[i] is Dense rectifying && sequence[i + 1] is Relu rectifier)
            {
                rectifying.Rectifies = true;
                rectifier.FusedInto = rectifying;
                if (i + 2 < sequence.Count && sequence[i + 2] is Dropout dropout)
                {
                    rectifying.MaskedBy = dropout;
                    dropout.FusedInto = rectifying;
                }
            }
            else if (sequence[i] is BatchNorm { NormalizesImages: true } normalizing && sequence[i + 1] is Relu rectified)
            {
                normalizing.Rectifies = true;
                rectified.FusedInto = normalizing;
            }
            else if (sequence[i + 1] is BatchNorm norm && sequence[i] is Dense or Conv2D { Rectifies: false })
            {
                if (sequence[i] is Dense dense) dense.NormalizedBy = norm;
                else ((Conv2D)sequence[i]).NormalizedBy = norm;
                norm.FoldedInto = sequence[i];
            }
        }
    }
}
