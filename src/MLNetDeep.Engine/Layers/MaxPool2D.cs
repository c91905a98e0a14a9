using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Max pooling: each output is the largest value under its window. Forward records which input
/// won (the first, in row-major window order, on ties) and Backward routes the gradient there.
/// </summary>
public sealed partial class MaxPool2D : Pool2D, ILayerFormat<MaxPool2D>
{
    private Tensor? _output, _gradInput;
    private int[] _argmax = [];
    private bool _fusedLast;
    private Tensor? _fusedGradient;

    /// <summary>Creates the layer; <paramref name="stride"/> defaults to <paramref name="size"/>.</summary>
    public MaxPool2D(int size, int? stride = null) : base(size, stride) { }

    static string ILayerFormat<MaxPool2D>.FormatTag => nameof(MaxPool2D);

    static int ILayerFormat<MaxPool2D>.FormatVersion => 1;

    static MaxPool2D ILayerFormat<MaxPool2D>.ReadConfig(LayerReader reader, int version) =>
        new(reader.ReadWindow("pool size"), reader.ReadWindow("stride"));

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        _fusedGradient = null;
        // Only the fused convolution's own latest pass has pooled already.
        _fusedLast = FusedInto is not null && FusedInto.ProducedPooled(input);
        if (_fusedLast) return _output!;
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        if (_argmax.Length < output.Length) _argmax = new int[output.Length];
        PoolingKernels.MaxPool(compute, Geometry, input.Batch, input.Span, output.Span, _argmax);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        if (_fusedLast)
        {
            // The convolution routes this gradient itself (RoutedLast), image by image; gradInput stays unwritten.
            _fusedGradient = gradOutput;
            return gradInput;
        }
        if (ComputeInputGradient)
            PoolingKernels.MaxPoolBackward(compute, Geometry, gradOutput.Batch, gradOutput.Span, _argmax.AsSpan(0, gradOutput.Length), gradInput.Span);
        return gradInput;
    }

    /// <summary>The convolution that computes this pooling, image by image, when the network fused the two (<see cref="LayerFusion"/>).</summary>
    internal Conv2D? FusedInto { get; set; }

    /// <summary>The window over one input image, for the fused convolution.</summary>
    internal Kernels.ConvGeometry Window => Geometry;

    /// <summary>This layer's output tensor and winners, sized for <paramref name="batch"/>, for the fused convolution to fill.</summary>
    internal (Tensor Output, int[] Argmax) FusedOutputs(int batch)
    {
        var output = Tensor.Ensure(ref _output, batch, OutputShape);
        if (_argmax.Length < output.Length) _argmax = new int[output.Length];
        return (output, _argmax);
    }

    /// <summary>
    /// True when <paramref name="gradient"/> is what this layer's last fused backward pass returned: then the
    /// gradient it received, the winners and the pooled outputs of that pass are given for the convolution to route.
    /// </summary>
    internal bool RoutedLast(Tensor gradient, out ReadOnlySpan<float> pooledGradient, out ReadOnlySpan<int> argmax, out ReadOnlySpan<float> pooled)
    {
        bool routed = _fusedLast && _fusedGradient is not null && ReferenceEquals(gradient, _gradInput);
        pooledGradient = routed ? _fusedGradient!.Span : default;
        argmax = routed ? _argmax.AsSpan(0, _fusedGradient!.Length) : default;
        pooled = routed ? _output!.Span : default;
        return routed;
    }
}
