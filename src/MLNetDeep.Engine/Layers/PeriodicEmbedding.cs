using System.Numerics.Tensors;
using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// Periodic numerical embeddings of a vector's features, in RealMLP's PBLD form (Holzmüller et al. 2024, after the
/// periodic embeddings of Gorishniy et al. 2022): each feature x_j becomes 1 + <see cref="Outputs"/> values,
/// (x_j, W_j cos(2π f_j x_j + φ_j) + b_j), with <see cref="Frequencies"/> trained frequencies f_j ("frequency", drawn
/// from N(0, <see cref="Sigma"/>²)) and phases φ_j ("phase", uniform in [-π, π]) per feature, and a small linear map
/// W_j ("weight", <see cref="Outputs"/> x <see cref="Frequencies"/>, uniform in ±1/√frequencies) and b_j ("bias", 0)
/// of its own. Keeping x_j itself (the "densenet" part) lets the network start from the plain feature. Its input is a
/// vector of F features; its output F (1 + outputs) values, feature j's at j (1 + outputs).
/// </summary>
public sealed partial class PeriodicEmbedding : Layer, ILayerFormat<PeriodicEmbedding>
{
    private const float TwoPi = 2f * MathF.PI;
    private Parameter? _frequency, _phase, _weight, _bias;
    private Tensor? _output, _gradInput, _input, _cos, _sin;
    private float[] _scratch = [];

    /// <summary>Creates the layer: <paramref name="frequencies"/> cosines a feature, mapped to <paramref name="outputs"/> values, frequencies drawn with deviation <paramref name="sigma"/>.</summary>
    public PeriodicEmbedding(int frequencies = 16, int outputs = 3, float sigma = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frequencies, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (!(sigma > 0) || !float.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The frequencies' deviation must be positive and finite.");
        Frequencies = frequencies;
        Outputs = outputs;
        Sigma = sigma;
    }

    static string ILayerFormat<PeriodicEmbedding>.FormatTag => nameof(PeriodicEmbedding);

    static int ILayerFormat<PeriodicEmbedding>.FormatVersion => 1;

    /// <summary>The cosines computed for each feature.</summary>
    public int Frequencies { get; }

    /// <summary>The values each feature's cosines are mapped to, beside the feature itself.</summary>
    public int Outputs { get; }

    /// <summary>The standard deviation the frequencies are drawn with.</summary>
    public float Sigma { get; }

    /// <summary>The frequencies, [features, frequencies].</summary>
    public Parameter Frequency => _frequency ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>The phases, [features, frequencies].</summary>
    public Parameter Phase => _phase ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>Each feature's map of its cosines, [features x outputs, frequencies]: row j * outputs + m is output m of feature j.</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <summary>Each feature's output biases, [1, features x outputs].</summary>
    public Parameter Bias => _bias ?? throw new InvalidOperationException($"{this} has not been initialized.");

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        if (inputShape.Rank != 1)
            throw new ArgumentException($"{this} embeds the features of a vector; its input has shape {inputShape}. Flatten it first.", nameof(inputShape));
        int features = inputShape.Size, k = Frequencies, m = Outputs;
        if ((long)features * (1 + m) > int.MaxValue || (long)features * m * k > int.MaxValue)
            throw new ArgumentException($"{this} on {features} features makes more than {int.MaxValue} values.", nameof(inputShape));
        _frequency = builder.Parameter("frequency", features, k, isWeight: false);
        _phase = builder.Parameter("phase", features, k, isWeight: false);
        _weight = builder.Parameter("weight", features * m, k, isWeight: true);
        _bias = builder.Parameter("bias", 1, features * m, isWeight: false);
        var rng = builder.Random;
        float[] frequency = _frequency.Value, phase = _phase.Value, weight = _weight.Value;
        for (int i = 0; i < frequency.Length; i++) frequency[i] = Sigma * rng.NextGaussian();
        for (int i = 0; i < phase.Length; i++) phase[i] = rng.NextFloat(-MathF.PI, MathF.PI);
        float bound = 1f / MathF.Sqrt(k);
        for (int i = 0; i < weight.Length; i++) weight[i] = rng.NextFloat(-bound, bound);
        _scratch = new float[2 * k];
        return TensorShape.Vector(features * (1 + m));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        int n = input.Batch, features = InputShape.Size, k = Frequencies, m = Outputs, width = 1 + m;
        var output = Tensor.Ensure(ref _output, n, OutputShape);
        var angles = new TensorShape(features, k);
        Span<float> cos = Tensor.Ensure(ref _cos, n, angles).Span;
        ReadOnlySpan<float> x = input.Span, frequency = Frequency.Value, phase = Phase.Value, weight = Weight.Value, bias = Bias.Value;
        Span<float> y = output.Span;
        // The angles 2π f x + φ of every sample, feature and frequency, then their cosines (and sines, for Backward) at once.
        for (int r = 0; r < n; r++)
            for (int j = 0; j < features; j++)
                TensorPrimitives.MultiplyAdd(frequency.Slice(j * k, k), TwoPi * x[r * features + j], phase.Slice(j * k, k), cos.Slice((r * features + j) * k, k));
        if (training) TensorPrimitives.Sin(cos, Tensor.Ensure(ref _sin, n, angles).Span);
        TensorPrimitives.Cos(cos, cos);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < features; j++)
            {
                var c = cos.Slice((r * features + j) * k, k);
                int o = (r * features + j) * width;
                y[o] = x[r * features + j];
                for (int e = 0; e < m; e++) y[o + 1 + e] = bias[j * m + e] + TensorPrimitives.Dot(weight.Slice((j * m + e) * k, k), c);
            }
        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        int n = gradOutput.Batch, features = InputShape.Size, k = Frequencies, m = Outputs, width = 1 + m;
        var gradInput = Tensor.Ensure(ref _gradInput, n, InputShape);
        ReadOnlySpan<float> x = input.Span, dy = gradOutput.Span, cos = _cos!.Span, sin = _sin!.Span;
        ReadOnlySpan<float> frequency = Frequency.Value, weight = Weight.Value;
        Span<float> dFrequency = Frequency.Gradient, dPhase = Phase.Gradient, dWeight = Weight.Gradient, dBias = Bias.Gradient, dx = gradInput.Span;
        Span<float> dCos = _scratch.AsSpan(0, k), dAngle = _scratch.AsSpan(k, k);
        dFrequency.Clear();
        dPhase.Clear();
        dWeight.Clear();
        dBias.Clear();
        for (int r = 0; r < n; r++)
            for (int j = 0; j < features; j++)
            {
                int at = (r * features + j) * k, o = (r * features + j) * width;
                // dL/dcos through each output's weights, and each output's weight and bias gradients.
                dCos.Clear();
                for (int e = 0; e < m; e++)
                {
                    float g = dy[o + 1 + e];
                    var w = weight.Slice((j * m + e) * k, k);
                    var dw = dWeight.Slice((j * m + e) * k, k);
                    TensorPrimitives.MultiplyAdd(w, g, dCos, dCos);
                    TensorPrimitives.MultiplyAdd(cos.Slice(at, k), g, dw, dw);
                    dBias[j * m + e] += g;
                }
                // dcos/dangle = -sin; the angle is 2π f x + φ.
                TensorPrimitives.Multiply(sin.Slice(at, k), dCos, dAngle);
                TensorPrimitives.Negate(dAngle, dAngle);
                var dp = dPhase.Slice(j * k, k);
                var df = dFrequency.Slice(j * k, k);
                TensorPrimitives.Add(dp, dAngle, dp);
                TensorPrimitives.MultiplyAdd(dAngle, TwoPi * x[r * features + j], df, df);
                if (ComputeInputGradient) dx[r * features + j] = dy[o] + TwoPi * TensorPrimitives.Dot(dAngle, frequency.Slice(j * k, k));
            }
        return gradInput;
    }

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer)
    {
        writer.Write(Frequencies);
        writer.Write(Outputs);
        writer.Write(Sigma);
    }

    static PeriodicEmbedding ILayerFormat<PeriodicEmbedding>.ReadConfig(LayerReader reader, int version)
    {
        int frequencies = reader.ReadSize("frequencies"), outputs = reader.ReadSize("outputs");
        float sigma = reader.ReadSingle();
        if (!(sigma > 0) || !float.IsFinite(sigma)) throw new InvalidDataException($"A PeriodicEmbedding layer's frequency deviation is {sigma}; it must be positive and finite.");
        return new PeriodicEmbedding(frequencies, outputs, sigma);
    }

    /// <inheritdoc/>
    public override string ToString() => $"PeriodicEmbedding({Frequencies} frequencies, {Outputs} outputs, sigma {Sigma})";
}
