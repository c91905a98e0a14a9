using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Layers;

/// <summary>
/// A fixed per-feature affine map, y = (x - centre) * scale, optionally followed by smooth clipping
/// y = z / sqrt(1 + (z / clip)²) (RealMLP's, Holzmüller et al. 2024, with clip 3): bounded, linear near zero,
/// so an outlier cannot dominate a layer. Centre and scale are <see cref="LayerBuffer"/>s, fitted on the training
/// data before training (<see cref="FeatureStatistics"/>), saved with the model and never trained. Its input's
/// gradient passes through the map. At the input, it makes a network indifferent to how its columns were scaled;
/// with no clipping at the output, it maps a network trained on standardised targets back to the label's units.
/// Built, it is the identity (centre 0, scale 1) unless made with statistics, until <see cref="SetStatistics"/> is called.
/// </summary>
public sealed partial class FeatureScaling : Layer, ILayerFormat<FeatureScaling>
{
    private LayerBuffer? _centre, _scale;
    private Tensor? _output, _gradInput, _input;
    private (float[] Centre, float[] Scale)? _initial;

    /// <summary>Creates the layer; <paramref name="clip"/> &gt; 0 adds smooth clipping at that bound, 0 (the default) none.</summary>
    public FeatureScaling(float clip = 0f)
    {
        if (!(clip >= 0) || !float.IsFinite(clip)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "The clipping bound must be 0 (none) or positive and finite.");
        Clip = clip;
    }

    /// <summary>Creates the layer with given statistics, one centre and one scale a feature, set when it is built.</summary>
    public FeatureScaling(float[] centre, float[] scale, float clip = 0f)
        : this(clip)
    {
        ArgumentNullException.ThrowIfNull(centre);
        ArgumentNullException.ThrowIfNull(scale);
        _initial = (centre.ToArray(), scale.ToArray());
    }

    static string ILayerFormat<FeatureScaling>.FormatTag => nameof(FeatureScaling);

    static int ILayerFormat<FeatureScaling>.FormatVersion => 1;

    /// <summary>The bound of the smooth clipping, or 0 for none.</summary>
    public float Clip { get; }

    /// <summary>Subtracted from each feature, one value a feature.</summary>
    public float[] Centre => (_centre ?? throw new InvalidOperationException($"{this} has not been initialized.")).Value;

    /// <summary>Multiplies each centred feature, one value a feature.</summary>
    public float[] Scale => (_scale ?? throw new InvalidOperationException($"{this} has not been initialized.")).Value;

    /// <summary>Sets the centre and scale of every feature.</summary>
    /// <exception cref="ArgumentException">The lengths differ from the layer's features, or a value is not finite.</exception>
    public void SetStatistics(ReadOnlySpan<float> centre, ReadOnlySpan<float> scale)
    {
        int n = InputShape.Size;
        if (centre.Length != n || scale.Length != n)
            throw new ArgumentException($"{this} scales {n} features; got {centre.Length} centres and {scale.Length} scales.");
        for (int i = 0; i < n; i++)
            if (!float.IsFinite(centre[i]) || !float.IsFinite(scale[i]))
                throw new ArgumentException($"{this}: feature {i} has centre {centre[i]} and scale {scale[i]}; both must be finite.");
        centre.CopyTo(Centre);
        scale.CopyTo(Scale);
    }

    /// <inheritdoc/>
    protected override TensorShape Build(TensorShape inputShape, LayerBuilder builder)
    {
        _centre = builder.Buffer("centre", inputShape.Size);
        _scale = builder.Buffer("scale", inputShape.Size);
        Array.Fill(_scale.Value, 1f);
        if (_initial is { } initial) SetStatistics(initial.Centre, initial.Scale);
        return inputShape;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training, ComputeContext compute)
    {
        CheckInput(input);
        var output = Tensor.Ensure(ref _output, input.Batch, OutputShape);
        int n = InputShape.Size;
        Span<float> x = input.Span, y = output.Span;
        float[] centre = Centre, scale = Scale;
        float inverseClip = Clip > 0 ? 1f / Clip : 0f;
        for (int r = 0; r < input.Batch; r++)
        {
            int o = r * n;
            for (int j = 0; j < n; j++)
            {
                float z = (x[o + j] - centre[j]) * scale[j];
                if (Clip > 0)
                {
                    float t = z * inverseClip;
                    z /= MathF.Sqrt(1f + t * t);
                }
                y[o + j] = z;
            }
        }
        _input = training ? input : null;
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Backward(Tensor gradOutput, ComputeContext compute)
    {
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward needs a training Forward first.");
        var gradInput = Tensor.Ensure(ref _gradInput, gradOutput.Batch, InputShape);
        if (!ComputeInputGradient) return gradInput;
        int n = InputShape.Size;
        Span<float> x = input.Span, dy = gradOutput.Span, dx = gradInput.Span;
        float[] centre = Centre, scale = Scale;
        float inverseClip = Clip > 0 ? 1f / Clip : 0f;
        for (int r = 0; r < gradOutput.Batch; r++)
        {
            int o = r * n;
            for (int j = 0; j < n; j++)
            {
                float d = dy[o + j] * scale[j];
                if (Clip > 0)
                {
                    // d/dz z (1 + (z/c)²)^(-1/2) = (1 + (z/c)²)^(-3/2)
                    float t = (x[o + j] - centre[j]) * scale[j] * inverseClip;
                    float s = 1f + t * t;
                    d /= s * MathF.Sqrt(s);
                }
                dx[o + j] = d;
            }
        }
        return gradInput;
    }

    /// <inheritdoc/>
    protected internal override void WriteConfig(LayerWriter writer) => writer.Write(Clip);

    static FeatureScaling ILayerFormat<FeatureScaling>.ReadConfig(LayerReader reader, int version)
    {
        float clip = reader.ReadSingle();
        if (!(clip >= 0) || !float.IsFinite(clip)) throw new InvalidDataException($"A FeatureScaling layer's clipping bound is {clip}; it must be 0 or positive and finite.");
        return new FeatureScaling(clip);
    }

    /// <inheritdoc/>
    public override string ToString() => Clip > 0 ? $"FeatureScaling(clip {Clip})" : "FeatureScaling";
}
