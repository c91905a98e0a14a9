namespace MLNetDeep.Engine.Layers;

/// <summary>A convolution's padding by name, as Keras's <c>padding="valid"</c> and <c>"same"</c>.</summary>
public enum ConvPadding
{
    /// <summary>No padding: the kernel stays inside the image, which shrinks by kernel - 1 pixels (stride 1).</summary>
    Valid,

    /// <summary>
    /// (kernel - 1) / 2 zeros on each side, for odd kernels. At stride 1 the output keeps the input's height and
    /// width. At stride s it is ceil(H / s) by ceil(W / s), Keras's "same" size, with the padding PyTorch's
    /// <c>padding=(kernel - 1) / 2</c> gives (at strides above 1 TensorFlow may pad less on the top and left, so
    /// its windows can sit one pixel away from these). An even kernel cannot keep the size with equal padding on
    /// both sides: it is refused.
    /// </summary>
    Same,
}
