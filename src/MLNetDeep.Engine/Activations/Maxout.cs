using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Activations;

/// <summary>
/// Maxout (Goodfellow et al. 2013): each output is the maximum of <see cref="Pieces"/> consecutive
/// inputs, so a <c>Dense(units * k)</c> followed by <c>Maxout(k)</c> computes
/// max(w1·x + b1, ..., wk·x + bk) per unit. The input width must be a multiple of k.
/// </summary>
public sealed partial class Maxout : Layer
{
    private Tensor? _output, _gradInput;
    private int[] _argmax = [];

    /// <summary>Creates the activation over groups of <paramref name="pieces"/> (at least 2).</summary>
    public Maxout(int pieces)
    {
        if (pieces < 2) throw new ArgumentOutOfRangeException(nameof(pieces), pieces, "Maxout needs at least 2 pieces.");
        Pieces = pieces;
    }

    /// <summary>The number of linear pieces per unit.</summary>
    public int Pieces { get; }

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, Rng rng)
    {
        if (inputShape.Size % Pieces != 0)
            throw new ArgumentException($"Maxout({Pieces}) needs an input width that is a multiple of {Pieces}; got {inputShape}.", nameof(inputShape));
        return TensorShape.Vector(inputShape.Size / Pieces);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        if (_argmax.Length < output.Length) _argmax = new int[output.Length];
        // Offsets are per sample, so one call over the flat batch routes within each sample.
        ActivationKernels.Maxout(input.Span, output.Span, _argmax, Pieces);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        ActivationKernels.MaxoutBackward(gradOutput.Span, _argmax.AsSpan(0, gradOutput.Length), gradInput.Span);
        return gradInput;
    }

    internal override void WriteConfig(BinaryWriter writer) => writer.Write(Pieces);

    /// <inheritdoc/>
    public override string ToString() => $"Maxout({Pieces})";
}
