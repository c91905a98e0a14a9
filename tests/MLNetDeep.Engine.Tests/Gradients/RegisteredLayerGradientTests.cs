using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Gradients;

/// <summary>
/// Every layer type the model format knows (<see cref="LayerRegistry.Types"/>) goes through the shared gradient
/// check at batch 1 and 3, containers among them, nested two deep. A type registered without a case here fails
/// <see cref="EveryRegisteredTypeHasAGradientCheckCase"/>: adding a layer means adding its case.
/// </summary>
public class RegisteredLayerGradientTests
{
    /// <summary>One way to check a layer: a fresh layer, its input shape, and how to draw its inputs.</summary>
    public sealed record Case(string Name, Func<Layer> Make, TensorShape Input, Func<Rng, float>? Draw = null);

    /// <summary>Inputs at least 0.05 (more than 2h) away from 0, where the ReLU family has its kink.</summary>
    private static float AwayFromZero(Rng r)
    {
        float v = r.NextFloat(0.05f, 1f);
        return r.NextFloat() < 0.5f ? -v : v;
    }

    /// <summary>Distinct inputs spaced 0.1 apart (more than 2h), so that no perturbation changes a maximum's winner.</summary>
    private static Func<Rng, float> Spaced()
    {
        int next = 0;
        var order = Enumerable.Range(0, 4096).ToArray();
        new Rng(5).Shuffle(order);
        return _ => (order[next++ % order.Length] - 2048) * 0.1f / 16;
    }

    private static readonly Dictionary<Type, Case[]> s_cases = new()
    {
        [typeof(Dense)] = [new("Dense", () => new Dense(5, Initializer.Normal(0.5f)), TensorShape.Vector(7)),
                           new("Dense on an image", () => new Dense(3), TensorShape.Image(2, 3, 2))],
        [typeof(Conv2D)] = [new("Conv2D padding 1", () => new Conv2D(3, 3, padding: 1), TensorShape.Image(2, 5, 4)),
                            new("Conv2D stride 2", () => new Conv2D(2, 2, stride: 2), TensorShape.Image(3, 5, 5)),
                            new("Conv2D same padding", () => new Conv2D(2, 5, ConvPadding.Same), TensorShape.Image(2, 4, 5)),
                            new("Conv2D 3x3 by Winograd's transforms", () => new Conv2D(8, 3, padding: 1), TensorShape.Image(8, 5, 4))],
        [typeof(MaxPool2D)] = [new("MaxPool2D", () => new MaxPool2D(2), TensorShape.Image(2, 4, 6), Spaced())],
        [typeof(AveragePool2D)] = [new("AveragePool2D", () => new AveragePool2D(3, 2), TensorShape.Image(2, 5, 5))],
        [typeof(Flatten)] = [new("Flatten", () => new Flatten(), TensorShape.Image(2, 3, 2))],
        [typeof(Dropout)] = [new("Dropout at rate 0 (its mask is checked in LayerGradientTests)", () => new Dropout(0f), TensorShape.Vector(9))],
        [typeof(Sigmoid)] = [new("Sigmoid", () => new Sigmoid(), TensorShape.Vector(6), r => r.NextFloat(-3, 3))],
        [typeof(Tanh)] = [new("Tanh", () => new Tanh(), TensorShape.Vector(6), r => r.NextFloat(-2, 2))],
        [typeof(Relu)] = [new("Relu", () => new Relu(), TensorShape.Vector(37), AwayFromZero)],
        [typeof(LeakyRelu)] = [new("LeakyRelu", () => new LeakyRelu(0.1f), TensorShape.Vector(37), AwayFromZero)],
        [typeof(Elu)] = [new("Elu", () => new Elu(1.5f), TensorShape.Vector(37), AwayFromZero)],
        [typeof(Identity)] = [new("Identity", () => new Identity(), TensorShape.Vector(5))],
        [typeof(Softmax)] = [new("Softmax", () => new Softmax(), TensorShape.Vector(6), r => r.NextFloat(-2, 2))],
        [typeof(Maxout)] = [new("Maxout", () => new Maxout(3), TensorShape.Vector(12), Spaced())],
        [typeof(Gelu)] = [new("Gelu", () => new Gelu(), TensorShape.Vector(37), r => r.NextFloat(-4, 4))],
        [typeof(Silu)] = [new("Silu", () => new Silu(), TensorShape.Vector(37), r => r.NextFloat(-4, 4))],
        [typeof(Selu)] = [new("Selu", () => new Selu(), TensorShape.Vector(37), AwayFromZero)],
        [typeof(Softplus)] = [new("Softplus", () => new Softplus(), TensorShape.Vector(37), r => r.NextFloat(-4, 4))],
        [typeof(GlobalAveragePool2D)] = [new("GlobalAveragePool2D", () => new GlobalAveragePool2D(), TensorShape.Image(3, 4, 5))],
        [typeof(BatchNorm)] =
        [
            new("BatchNorm per feature", () => new BatchNorm(), TensorShape.Vector(5), r => r.NextFloat(-2, 2)),
            new("BatchNorm per channel", () => new BatchNorm(momentum: 0.3f), TensorShape.Image(3, 3, 4), r => r.NextFloat(-2, 2)),
            new("Dense then BatchNorm (folded at inference only)", () => new Sequential(new Dense(4), new BatchNorm()), TensorShape.Vector(6), r => r.NextFloat(-2, 2)),
        ],
        [typeof(LayerNorm)] =
        [
            new("LayerNorm on a vector", () => new LayerNorm(), TensorShape.Vector(7), r => r.NextFloat(-2, 2)),
            new("LayerNorm on an image", () => new LayerNorm(), TensorShape.Image(2, 3, 3), r => r.NextFloat(-2, 2)),
        ],
        // Inputs within ±1.5: a frequency's gradient curves as (2π x)³, and h = 1e-2 leaves a truncation error of h²/6 times that.
        [typeof(PeriodicEmbedding)] =
        [
            new("PeriodicEmbedding", () => new PeriodicEmbedding(frequencies: 4, outputs: 2, sigma: 0.5f), TensorShape.Vector(3), r => r.NextFloat(-1.5f, 1.5f)),
            new("PeriodicEmbedding, one output", () => new PeriodicEmbedding(frequencies: 3, outputs: 1), TensorShape.Vector(2), r => r.NextFloat(-1.5f, 1.5f)),
        ],
        [typeof(FeatureScaling)] =
        [
            new("FeatureScaling", () => new FeatureScaling([0.5f, -1f, 2f, 0f, 3f], [2f, 0.5f, -1.5f, 0f, 1f]), TensorShape.Vector(5), r => r.NextFloat(-3, 3)),
            new("FeatureScaling, smooth clipping at 3", () => new FeatureScaling([0.5f, -1f, 2f, 0f, 3f], [2f, 0.5f, -1.5f, 0f, 4f], clip: 3f), TensorShape.Vector(5), r => r.NextFloat(-3, 3)),
            new("FeatureScaling on an image", () => new FeatureScaling([1f, 0f, -1f, 2f], [0.5f, 3f, 1f, -2f], clip: 1f), TensorShape.Image(1, 2, 2), r => r.NextFloat(-2, 2)),
        ],
        [typeof(Sequential)] = [new("Sequential", () => new Sequential(new Dense(5), new Tanh(), new Dense(3)), TensorShape.Vector(4))],
        [typeof(Residual)] =
        [
            new("Residual, identity skip", () => new Residual(new Dense(6, Initializer.Normal(0.5f)), new Tanh()), TensorShape.Vector(6)),
            new("Residual, dense projection", () => new Residual(new Dense(4), new Sigmoid()), TensorShape.Vector(6)),
            new("Residual, explicit projection", () => new Residual([new Dense(4), new Sigmoid()], new Dense(4, Initializer.Normal(0.5f))), TensorShape.Vector(6)),
            new("Residual of convolutions", () => new Residual(new Conv2D(3, 3, padding: 1), new Tanh()), TensorShape.Image(3, 4, 4)),
            new("Residual, 1x1 convolution projection", () => new Residual(new Conv2D(4, 3, stride: 2, padding: 1), new Tanh()), TensorShape.Image(2, 5, 5)),
            new("Containers nested two deep", () => new Sequential(
                    new Residual(new Sequential(new Dense(6), new Tanh(), new Residual(new Dense(6), new Sigmoid()))),
                    new Dense(3)), TensorShape.Vector(6)),
        ],
        [typeof(Ensemble)] =
        [
            new("Ensemble of one", () => new Ensemble(new Dense(3)), TensorShape.Vector(4)),
            new("Ensemble of three members", () => new Ensemble(new Sequential(new Dense(5), new Tanh(), new Dense(3)),
                new Sequential(new Dense(4), new Sigmoid(), new Dense(3)), new Dense(3, Initializer.Normal(0.5f))), TensorShape.Vector(4)),
            new("Ensemble inside a residual block", () => new Residual(new Ensemble(
                new Sequential(new Dense(6), new Tanh()), new Sequential(new Dense(6), new Sigmoid()))), TensorShape.Vector(6)),
        ],
    };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in s_cases.Values.SelectMany(c => c))
            foreach (int batch in new[] { 1, 3 }) data.Add(c.Name, batch);
        return data;
    }

    [Fact]
    public void EveryRegisteredTypeHasAGradientCheckCase()
    {
        var missing = LayerRegistry.Types.Where(t => !s_cases.ContainsKey(t)).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0, $"Registered layer types without a gradient-check case: {string.Join(", ", missing)}.");
        Assert.All(s_cases.Keys, t => Assert.Contains(t, LayerRegistry.Types));
    }

    [Fact]
    public void EveryLayerOfTheEngineIsRegistered()
    {
        // A layer with no file form could be trained but never saved.
        var layers = typeof(Layer).Assembly.GetTypes().Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(Layer)));
        Assert.All(layers, t => Assert.Contains(t, LayerRegistry.Types));
    }

    [Theory, MemberData(nameof(Cases))]
    public void PassesTheSharedGradientCheck(string name, int batch)
    {
        var c = s_cases.Values.SelectMany(x => x).Single(x => x.Name == name);
        GradientCheck.Layer(c.Make(), c.Input, batch, draw: c.Draw);
    }
}
