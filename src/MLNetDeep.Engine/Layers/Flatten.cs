using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Reads samples of any shape, such as images [C, H, W], as flat vectors [C*H*W]. The values and
/// their order (c*H*W + y*W + x) are unchanged: the output shares the input's buffer, nothing is copied.
/// </summary>
public sealed partial class Flatten : Layer
{
    private Tensor? _output, _gradInput;

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, Rng rng) => TensorShape.Vector(inputShape.Size);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        return View(ref _output, input, OutputShape);
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput) => View(ref _gradInput, gradOutput, InputShape);

    /// <summary>
    /// <paramref name="source"/>'s values seen as samples of <paramref name="shape"/>; the view is
    /// made again only when the source's buffer changes, so steady-state steps allocate nothing.
    /// </summary>
    private static Tensor View(ref Tensor? view, Tensor source, TensorShape shape)
    {
        if (view is null || !ReferenceEquals(view.Buffer, source.Buffer)) view = new Tensor(source.Buffer, source.Batch, shape);
        else view.Resize(source.Batch);
        return view;
    }

    /// <inheritdoc/>
    public override string ToString() => "Flatten()";
}
