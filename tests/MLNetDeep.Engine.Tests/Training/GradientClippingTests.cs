using MLNetDeep.Engine.Tensors;
using MLNetDeep.Engine.Training;

namespace MLNetDeep.Engine.Tests.Training;

/// <summary>Clipping by global norm against a 5-12-13 right triangle split over two parameters: norm sqrt(9 + 16 + 144) = 13.</summary>
public class GradientClippingTests
{
    private static Parameter[] MakeGradients()
    {
        Parameter[] parameters = [new("weight", 1, 2, isWeight: true), new("bias", 1, 2, isWeight: false)];
        (parameters[0].Gradient[0], parameters[0].Gradient[1]) = (3f, 4f);
        (parameters[1].Gradient[0], parameters[1].Gradient[1]) = (0f, 12f);
        return parameters;
    }

    [Fact]
    public void GradientsAboveTheLimitAreScaledToIt()
    {
        Parameter[] parameters = MakeGradients();
        double norm = GradientClipping.ClipByGlobalNorm(parameters, maxNorm: 6.5f);
        Assert.Equal(13.0, norm, 1e-12);
        Assert.Equal([1.5f, 2f], parameters[0].Gradient); // every gradient times 6.5 / 13 = 0.5, biases too
        Assert.Equal([0f, 6f], parameters[1].Gradient);
    }

    [Theory]
    [InlineData(13f)]
    [InlineData(100f)]
    public void GradientsWithinTheLimitAreLeftAlone(float maxNorm)
    {
        Parameter[] parameters = MakeGradients();
        Assert.Equal(13.0, GradientClipping.ClipByGlobalNorm(parameters, maxNorm), 1e-12);
        Assert.Equal([3f, 4f], parameters[0].Gradient);
        Assert.Equal([0f, 12f], parameters[1].Gradient);
    }

    [Fact]
    public void ANonFiniteNormIsReportedAndNothingScaled()
    {
        Parameter[] parameters = MakeGradients();
        parameters[1].Gradient[0] = float.NaN;
        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm(parameters, 1f)));
        Assert.Equal([3f, 4f], parameters[0].Gradient);
    }

    [Fact]
    public void ClippingAllocatesNothing()
    {
        Parameter[] parameters = [new("weight", 50, 70, isWeight: true), new("bias", 1, 50, isWeight: false)];
        AllocationCheck.AssertNone(() =>
        {
            Array.Fill(parameters[0].Gradient, 1f);
            GradientClipping.ClipByGlobalNorm(parameters, 1f);
        });
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void MaxNormMustBeFiniteAndPositive(float maxNorm)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(MakeGradients(), maxNorm));
        Assert.Equal("maxNorm", error.ParamName);
        Assert.Throws<ArgumentNullException>(() => GradientClipping.ClipByGlobalNorm(null!, 1f));
    }
}
