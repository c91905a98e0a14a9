using System.Numerics.Tensors;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// A fully connected layer, y = x Wᵀ + b, with W stored [units, inputs]. Images are read as
/// flat vectors (c*H*W + y*W + x), so no separate flatten step is needed before it.
/// </summary>
public sealed partial class Dense : Layer
{
    private Parameter? _weight, _bias;
    private Parameter[] _parameters = [];
    private Tensor? _output, _gradInput, _input;

    /// <summary>Creates a layer of <paramref name="units"/> outputs; weights drawn by <paramref name="initializer"/> (Xavier uniform by default), biases 0.</summary>
    public Dense(int units, Initializer? initializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        Units = units;
        Initializer = initializer ?? Initializer.XavierUniform;
    }

    /// <summary>The number of outputs.</summary>
    public int Units { get; }

    /// <summary>How the weights are drawn at <see cref="Layer.Initialize"/>.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>The weight matrix, [units, inputs].</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The bias vector, [1, units].</summary>
    public Parameter Bias => _bias ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    internal override long ParameterValueCount(TensorShape inputShape) => (long)Units * inputShape.Size + Units;

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, Rng rng)
    {
        int inputs = inputShape.Size;
        _weight = new Parameter("weight", Units, inputs, isWeight: true);
        _bias = new Parameter("bias", 1, Units, isWeight: false);
        _parameters = [_weight, _bias];
        Initializer.Fill(_weight.Value, inputs, Units, rng);
        return TensorShape.Vector(Units);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        int batch = input.Batch, inputs = InputShape.Size;
        var output = Tensor.Ensure(ref _output, batch, OutputShape);
        Gemm.Multiply(false, true, batch, Units, inputs, 1f, input.Span, inputs, Weight.Value, inputs, 0f, output.Span, Units);
        var y = output.Span;
        for (int r = 0; r < batch; r++)
        {
            var row = y.Slice(r * Units, Units);
            TensorPrimitives.Add(row, Bias.Value, row);
        }
        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        int batch = gradOutput.Batch, inputs = InputShape.Size;
        var dy = gradOutput.Span;
        // dW = dYᵀ X  ([units, batch] x [batch, inputs])
        Gemm.Multiply(true, false, Units, inputs, batch, 1f, dy, Units, input.Span, inputs, 0f, Weight.Gradient, inputs);
        // db = column sums of dY, in row order: the same additions whatever the thread count.
        var db = Bias.Gradient.AsSpan();
        db.Clear();
        for (int r = 0; r < batch; r++) TensorPrimitives.Add(db, dy.Slice(r * Units, Units), db);
        var gradInput = Tensor.Ensure(ref _gradInput, batch, InputShape);
        if (ComputeInputGradient)
            Gemm.Multiply(false, false, batch, inputs, Units, 1f, dy, Units, Weight.Value, inputs, 0f, gradInput.Span, inputs);
        return gradInput;
    }

    internal override void WriteConfig(BinaryWriter writer) => writer.Write(Units);

    /// <inheritdoc/>
    public override string ToString() => $"Dense({Units})";
}
