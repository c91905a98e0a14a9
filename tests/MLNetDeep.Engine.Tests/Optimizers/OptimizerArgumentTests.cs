using MLNetDeep.Engine.Kernels;
using MLNetDeep.Engine.Kernels.OptimizerRules;
using MLNetDeep.Engine.Optimizers;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>The factory, the published defaults, and the refusal of invalid hyper-parameters.</summary>
public class OptimizerArgumentTests
{
    [Theory]
    [MemberData(nameof(OptimizerKinds.All), MemberType = typeof(OptimizerKinds))]
    public void CreateMakesTheNamedKindWithTheGivenRate(OptimizerKind kind)
    {
        Optimizer optimizer = Optimizer.Create(kind, 0.0625f);
        Assert.Equal(kind, optimizer.Kind);
        Assert.Equal(kind.ToString(), optimizer.GetType().Name);
        Assert.Equal(0.0625f, optimizer.LearningRate);
        Assert.Equal(0, optimizer.StepCount);
        Assert.Equal(kind == OptimizerKind.AdamW ? 0.01f : 0f, optimizer.WeightDecay);
    }

    [Fact]
    public void CreateRefusesAnUnknownKind()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Optimizer.Create((OptimizerKind)99, 0.1f));
        Assert.Equal("kind", error.ParamName);
    }

    [Fact]
    public void DefaultsAreThePublishedValues()
    {
        Assert.Equal(0.9f, new Momentum().Mu);
        Assert.Equal(0.9f, new Nesterov().Mu);
        Assert.Equal(1e-10f, new Adagrad().Epsilon);
        Assert.Equal((0.9f, 1e-8f), (new RmsProp().Rho, new RmsProp().Epsilon));
        Assert.Equal((1f, 0.95f, 1e-6f), (new AdaDelta().LearningRate, new AdaDelta().Rho, new AdaDelta().Epsilon));
        var adam = new Adam();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-8f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        var adamW = new AdamW();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-8f, 0.01f), (adamW.LearningRate, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay));
        var nadam = new NAdam();
        Assert.Equal((0.002f, 0.9f, 0.999f, 1e-8f, 0.004f), (nadam.LearningRate, nadam.Beta1, nadam.Beta2, nadam.Epsilon, nadam.MomentumDecay));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void LearningRateMustBeFiniteAndPositive(float rate)
    {
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(rate)).ParamName);
        var adam = new Adam();
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => adam.LearningRate = rate).ParamName);
        Assert.Equal(0.001f, adam.LearningRate);
        Assert.Throws<ArgumentOutOfRangeException>(() => Optimizer.Create(OptimizerKind.NAdam, rate));
    }

    [Theory]
    [InlineData(-1e-6f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void WeightDecayMustBeFiniteAndNotNegative(float decay)
    {
        Assert.Equal("WeightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum { WeightDecay = decay }).ParamName);
        Assert.Equal("WeightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW { WeightDecay = decay }).ParamName);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void AveragingCoefficientsMustLieInZeroToOne(float value)
    {
        Assert.Equal("Mu", Assert.Throws<ArgumentOutOfRangeException>(() => new Momentum { Mu = value }).ParamName);
        Assert.Equal("Mu", Assert.Throws<ArgumentOutOfRangeException>(() => new Nesterov { Mu = value }).ParamName);
        Assert.Equal("Rho", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp { Rho = value }).ParamName);
        Assert.Equal("Rho", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaDelta { Rho = value }).ParamName);
        Assert.Equal("Beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { Beta1 = value }).ParamName);
        Assert.Equal("Beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new NAdam { Beta2 = value }).ParamName);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1e-8f)]
    [InlineData(float.NaN)]
    public void EpsilonMustBePositive(float value)
    {
        Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad { Epsilon = value }).ParamName);
        Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp { Epsilon = value }).ParamName);
        Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new AdaDelta { Epsilon = value }).ParamName);
        Assert.Equal("Epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW { Epsilon = value }).ParamName);
    }

    [Fact]
    public void MomentumDecayMustNotBeNegative()
    {
        Assert.Equal("MomentumDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new NAdam { MomentumDecay = -0.004f }).ParamName);
    }

    [Fact]
    public void StepRefusesNullLists()
    {
        Assert.Throws<ArgumentNullException>(() => new Sgd().Step(null!));
        Assert.Throws<ArgumentException>(() => new Sgd().Step([null!]));
        Assert.Throws<ArgumentNullException>(() => new Sgd().WriteState(null!));
        Assert.Throws<ArgumentNullException>(() => new Sgd().ReadState(null!));
    }

    [Fact]
    public void KernelsRefuseArraysOfDifferentLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => OptimizerKernels.Update(new float[4], new float[4], new float[3], default, new MomentumRule(0.1f, 0.9f, 0f, nesterov: false)));
        Assert.Equal("slot0", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => OptimizerKernels.Update(new float[4], new float[5], default, default, new SgdRule(0.1f, 0f)));
        Assert.Equal("gradient", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => OptimizerKernels.Update(new float[4], new float[4], new float[4], new float[5], new AdamRule<AdamTerms.Plain>(0.9f, 0.999f, 1e-8f, 0f, 0.1f, 1f, 0f, 0f)));
        Assert.Equal("slot1", error.ParamName);
    }
}
