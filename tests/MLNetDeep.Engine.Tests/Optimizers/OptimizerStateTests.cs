using MLNetDeep.Engine.Optimizers;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Optimizers;

/// <summary>Saving and restoring an optimizer's state, and the list of parameters it serves.</summary>
public class OptimizerStateTests
{
    // A weight of 7 x 5 (not a multiple of any vector width) and a bias of 7, with values from a seeded generator.
    private static Parameter[] MakeParameters(ulong seed)
    {
        var rng = new Rng(seed);
        Parameter[] parameters = [new("weight", 7, 5, isWeight: true), new("bias", 1, 7, isWeight: false)];
        foreach (Parameter p in parameters)
            for (int i = 0; i < p.Length; i++) p.Value[i] = rng.NextGaussian();
        return parameters;
    }

    private static void SetGradients(Parameter[] parameters, Rng rng)
    {
        foreach (Parameter p in parameters)
            for (int i = 0; i < p.Length; i++) p.Gradient[i] = rng.NextGaussian();
    }

    private static byte[] Save(Optimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            optimizer.WriteState(writer);
        return stream.ToArray();
    }

    private static void Load(Optimizer optimizer, byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        optimizer.ReadState(reader);
    }

    private static Optimizer Create(OptimizerKind kind, float learningRate)
    {
        Optimizer optimizer = Optimizer.Create(kind, learningRate);
        optimizer.WeightDecay = 0.01f;
        return optimizer;
    }

    [Theory]
    [MemberData(nameof(OptimizerKinds.All), MemberType = typeof(OptimizerKinds))]
    public void RestoredStateContinuesBitIdentically(OptimizerKind kind)
    {
        Parameter[] original = MakeParameters(seed: 1);
        Optimizer first = Create(kind, 0.01f);
        var gradients = new Rng(2);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(original, gradients);
            first.Step(original);
        }
        first.LearningRate = 0.005f; // as a schedule would, between epochs
        byte[] saved = Save(first);

        // A second optimizer, made with another learning rate, takes the saved state and a copy of the weights.
        Parameter[] copy = MakeParameters(seed: 1);
        for (int p = 0; p < copy.Length; p++) original[p].Value.CopyTo(copy[p].Value, 0);
        Optimizer second = Create(kind, 0.3f);
        Load(second, saved);
        Assert.Equal(3, second.StepCount);
        Assert.Equal(0.005f, second.LearningRate);

        var gradientsForFirst = new Rng(3);
        var gradientsForSecond = new Rng(3);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(original, gradientsForFirst);
            SetGradients(copy, gradientsForSecond);
            first.Step(original);
            second.Step(copy);
        }
        for (int p = 0; p < copy.Length; p++)
            Assert.Equal(original[p].Value, copy[p].Value); // exact: Assert.Equal on float[] compares element by element
        Assert.Equal(Save(first), Save(second));
    }

    [Theory]
    [MemberData(nameof(OptimizerKinds.All), MemberType = typeof(OptimizerKinds))]
    public void StateSavedBeforeAnyStepRestoresAnEmptyOptimizer(OptimizerKind kind)
    {
        Optimizer fresh = Create(kind, 0.02f);
        Optimizer used = Create(kind, 0.01f);
        used.Step(MakeParameters(seed: 1));
        Load(used, Save(fresh));
        Assert.Equal(0, used.StepCount);
        Assert.Equal(0.02f, used.LearningRate);
        used.Step([new Parameter("other", 2, 2, isWeight: true)]); // a new list is accepted, as after ResetState
    }

    [Fact]
    public void StateOfAnotherKindIsRejected()
    {
        var adam = new Adam();
        adam.Step(MakeParameters(seed: 1));
        var adamW = new AdamW();
        var error = Assert.Throws<InvalidDataException>(() => Load(adamW, Save(adam)));
        Assert.Contains("Adam", error.Message);
    }

    [Fact]
    public void TruncatedStateIsRejectedAndLeavesTheOptimizerAsItWas()
    {
        Parameter[] parameters = MakeParameters(seed: 1);
        var source = new Momentum();
        source.Step(parameters);
        source.Step(parameters);
        byte[] saved = Save(source);

        var target = new Momentum(0.5f);
        target.Step(parameters);
        byte[] before = Save(target);
        foreach (int length in new[] { 0, 3, 12, saved.Length / 2, saved.Length - 1 })
        {
            Assert.Throws<InvalidDataException>(() => Load(target, saved[..length]));
            Assert.Equal(before, Save(target));
        }
    }

    [Fact]
    public void DataThatIsNotAnOptimizerStateIsRejected()
    {
        byte[] garbage = new byte[64];
        new Random(5).NextBytes(garbage);
        var error = Assert.Throws<InvalidDataException>(() => Load(new Sgd(), garbage));
        Assert.Contains("not an optimizer state", error.Message);
    }

    [Fact]
    public void StateForParametersOfOtherLengthsIsRejected()
    {
        var source = new Adam();
        source.Step([new Parameter("weight", 3, 3, isWeight: true)]);
        var target = new Adam();
        target.Step([new Parameter("weight", 3, 4, isWeight: true)]);
        var error = Assert.Throws<InvalidDataException>(() => Load(target, Save(source)));
        Assert.Contains("9", error.Message);
        Assert.Contains("12", error.Message);
    }

    [Fact]
    public void AListOfAnotherShapeAfterTheFirstStepIsRefused()
    {
        var optimizer = new Adam();
        Parameter[] parameters = MakeParameters(seed: 1);
        optimizer.Step(parameters);

        Assert.Throws<InvalidOperationException>(() => optimizer.Step(parameters[..1]));
        var error = Assert.Throws<InvalidOperationException>(
            () => optimizer.Step([parameters[0], new Parameter("bias", 1, 8, isWeight: false)]));
        Assert.Contains("bias", error.Message);
        Assert.Equal(1, optimizer.StepCount);

        optimizer.ResetState();
        Assert.Equal(0, optimizer.StepCount);
        optimizer.Step(parameters[..1]);
        Assert.Equal(1, optimizer.StepCount);
    }

    [Fact]
    public void StateIsOneZeroFilledArrayPerSlotAndParameter()
    {
        var adaDelta = new AdaDelta();
        Parameter[] parameters = MakeParameters(seed: 1); // zero gradients: a zero-filled state stays zero
        adaDelta.Step(parameters);
        for (int p = 0; p < parameters.Length; p++)
            for (int slot = 0; slot < 2; slot++)
                Assert.Equal(new float[parameters[p].Length], adaDelta.GetState(p, slot));
    }
}
