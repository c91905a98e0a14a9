using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Initializers;

/// <summary>The published variances: Glorot and Bengio (2010), He et al. (2015), LeCun et al. (1998).</summary>
public class InitializerTests
{
    private const int FanIn = 400, FanOut = 100;

    public static TheoryData<string, double, bool> Cases => new()
    {
        { "XavierNormal", Math.Sqrt(2.0 / (FanIn + FanOut)), false },
        { "XavierUniform", Math.Sqrt(2.0 / (FanIn + FanOut)), true },   // limit sqrt(6/(in+out)), std limit/sqrt(3)
        { "HeNormal", Math.Sqrt(2.0 / FanIn), false },
        { "HeUniform", Math.Sqrt(2.0 / FanIn), true },
        { "LeCunNormal", Math.Sqrt(1.0 / FanIn), false },
        { "LeCunUniform", Math.Sqrt(1.0 / FanIn), true },
        { "Normal", 0.5, false },
    };

    private static Initializer Get(string name) => name switch
    {
        "XavierNormal" => Initializer.XavierNormal,
        "XavierUniform" => Initializer.XavierUniform,
        "HeNormal" => Initializer.HeNormal,
        "HeUniform" => Initializer.HeUniform,
        "LeCunNormal" => Initializer.LeCunNormal,
        "LeCunUniform" => Initializer.LeCunUniform,
        _ => Initializer.Normal(0.5f),
    };

    [Theory, MemberData(nameof(Cases))]
    public void StandardDeviationMatchesTheFormula(string name, double expectedStd, bool uniform)
    {
        var w = new float[FanIn * FanOut];
        Get(name).Fill(w, FanIn, FanOut, new Rng(1));
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        // 40,000 draws: the sample std is within 2% of the true one with overwhelming probability (SE about 0.35-0.5%).
        Assert.InRange(std, expectedStd * 0.98, expectedStd * 1.02);
        Assert.InRange(mean, -0.02 * expectedStd * 5, 0.02 * expectedStd * 5);
        if (uniform) Assert.All(w, v => Assert.InRange(Math.Abs(v), 0, expectedStd * Math.Sqrt(3) + 1e-6));
    }

    [Fact]
    public void SameSeedSameWeights()
    {
        float[] a = new float[100], b = new float[100];
        Initializer.HeNormal.Fill(a, 10, 10, new Rng(3));
        Initializer.HeNormal.Fill(b, 10, 10, new Rng(3));
        Assert.Equal(a, b);
    }
}
