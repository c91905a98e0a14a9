using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Initializers;

/// <summary>Draws the initial values of a weight array from its fan-in and fan-out.</summary>
public abstract class Initializer
{
    /// <summary>Fills <paramref name="weights"/> for a layer with the given fan-in and fan-out.</summary>
    public abstract void Fill(Span<float> weights, int fanIn, int fanOut, Rng rng);

    /// <summary>Normal with mean 0 and standard deviation <paramref name="std"/> (the course's "random normal" is std 1).</summary>
    public static Initializer Normal(float std = 1f) => new NormalInitializer(std);

    /// <summary>Uniform in [-<paramref name="limit"/>, <paramref name="limit"/>].</summary>
    public static Initializer Uniform(float limit = 0.05f) => new UniformInitializer(limit);

    /// <summary>Glorot and Bengio (2010), normal: std = sqrt(2 / (fanIn + fanOut)).</summary>
    public static Initializer XavierNormal { get; } = new VarianceScalingInitializer("XavierNormal", 1f, FanMode.Average, Distribution.Normal);

    /// <summary>Glorot and Bengio (2010), uniform: limit = sqrt(6 / (fanIn + fanOut)).</summary>
    public static Initializer XavierUniform { get; } = new VarianceScalingInitializer("XavierUniform", 1f, FanMode.Average, Distribution.Uniform);

    /// <summary>He et al. (2015), normal: std = sqrt(2 / fanIn); suited to ReLU.</summary>
    public static Initializer HeNormal { get; } = new VarianceScalingInitializer("HeNormal", 2f, FanMode.In, Distribution.Normal);

    /// <summary>He et al. (2015), uniform: limit = sqrt(6 / fanIn).</summary>
    public static Initializer HeUniform { get; } = new VarianceScalingInitializer("HeUniform", 2f, FanMode.In, Distribution.Uniform);

    /// <summary>LeCun et al. (1998), normal: std = sqrt(1 / fanIn).</summary>
    public static Initializer LeCunNormal { get; } = new VarianceScalingInitializer("LeCunNormal", 1f, FanMode.In, Distribution.Normal);

    /// <summary>LeCun, uniform: limit = sqrt(3 / fanIn).</summary>
    public static Initializer LeCunUniform { get; } = new VarianceScalingInitializer("LeCunUniform", 1f, FanMode.In, Distribution.Uniform);

    /// <summary>The initializer of a kind, with <paramref name="scale"/> as the std of Normal or the limit of Uniform.</summary>
    public static Initializer FromKind(InitializerKind kind, float scale = float.NaN) => kind switch
    {
        InitializerKind.Normal => Normal(float.IsNaN(scale) ? 1f : scale),
        InitializerKind.Uniform => Uniform(float.IsNaN(scale) ? 0.05f : scale),
        InitializerKind.XavierNormal => XavierNormal,
        InitializerKind.Xavier or InitializerKind.XavierUniform => XavierUniform,
        InitializerKind.HeNormal or InitializerKind.He => HeNormal,
        InitializerKind.HeUniform => HeUniform,
        InitializerKind.LeCun or InitializerKind.LeCunNormal => LeCunNormal,
        InitializerKind.LeCunUniform => LeCunUniform,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown initializer kind."),
    };
}

/// <summary>The initializers by name.</summary>
public enum InitializerKind
{
    /// <summary>Normal(0, std); std 1 unless set (the course's "random normal").</summary>
    Normal,
    /// <summary>Uniform(-limit, limit).</summary>
    Uniform,
    /// <summary>Xavier/Glorot uniform (the common default, as TensorFlow's xavier_initializer).</summary>
    Xavier,
    /// <summary>Xavier/Glorot normal.</summary>
    XavierNormal,
    /// <summary>Xavier/Glorot uniform.</summary>
    XavierUniform,
    /// <summary>He normal.</summary>
    He,
    /// <summary>He normal.</summary>
    HeNormal,
    /// <summary>He uniform.</summary>
    HeUniform,
    /// <summary>LeCun normal.</summary>
    LeCun,
    /// <summary>LeCun normal.</summary>
    LeCunNormal,
    /// <summary>LeCun uniform.</summary>
    LeCunUniform,
}
