using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Initializers;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Gradients;

public class LayerGradientTests
{
    public static TheoryData<int> Batches => new() { 1, 3 };

    /// <summary>Inputs at least 0.05 (more than 2h) away from 0, where the ReLU family has its kink.</summary>
    private static float AwayFromZero(Rng r)
    {
        float v = r.NextFloat(0.05f, 1f);
        return r.NextFloat() < 0.5f ? -v : v;
    }

    [Theory, MemberData(nameof(Batches))]
    public void Dense(int batch) => GradientCheck.Layer(new Dense(5, Initializer.Normal(0.5f)), TensorShape.Vector(7), batch);

    [Theory, MemberData(nameof(Batches))]
    public void DenseOnImageInput(int batch) => GradientCheck.Layer(new Dense(3), TensorShape.Image(2, 3, 2), batch);

    [Theory, MemberData(nameof(Batches))]
    public void Sigmoid(int batch) => GradientCheck.Layer(new Sigmoid(), TensorShape.Vector(6), batch, draw: r => r.NextFloat(-3, 3));

    [Theory, MemberData(nameof(Batches))]
    public void Tanh(int batch) => GradientCheck.Layer(new Tanh(), TensorShape.Vector(6), batch, draw: r => r.NextFloat(-2, 2));

    [Theory, MemberData(nameof(Batches))]
    public void Relu(int batch) => GradientCheck.Layer(new Relu(), TensorShape.Vector(37), batch, draw: AwayFromZero);

    [Theory, MemberData(nameof(Batches))]
    public void LeakyRelu(int batch) => GradientCheck.Layer(new LeakyRelu(0.1f), TensorShape.Vector(37), batch, draw: AwayFromZero);

    [Theory, MemberData(nameof(Batches))]
    public void Elu(int batch) => GradientCheck.Layer(new Elu(1.5f), TensorShape.Vector(37), batch, draw: AwayFromZero);

    [Theory, MemberData(nameof(Batches))]
    public void Identity(int batch) => GradientCheck.Layer(new Identity(), TensorShape.Vector(5), batch);

    [Theory, MemberData(nameof(Batches))]
    public void Softmax(int batch) => GradientCheck.Layer(new Softmax(), TensorShape.Vector(6), batch, draw: r => r.NextFloat(-2, 2));

    [Theory, MemberData(nameof(Batches))]
    public void Maxout(int batch)
    {
        // Distinct inputs spaced 0.1 apart (> 2h) so that no perturbation changes a group's winner.
        var values = Enumerable.Range(0, 12 * batch).Select(i => (i - 6 * batch) * 0.1f).ToArray();
        int next = 0;
        var order = Enumerable.Range(0, values.Length).ToArray();
        new Rng(5).Shuffle(order);
        GradientCheck.Layer(new Maxout(3), TensorShape.Vector(12), batch, draw: _ => values[order[next++ % values.Length]]);
    }

    [Theory, MemberData(nameof(Batches))]
    public void Dropout(int batch)
    {
        var dropout = new Dropout(0.4f);
        dropout.Initialize(TensorShape.Vector(20), new Rng(1));
        var state = dropout.Random.GetState();
        // Replay one mask for every forward pass, so the function being differentiated is fixed.
        GradientCheck.Layer(dropout, TensorShape.Vector(20), batch, beforeForward: () => dropout.Random.SetState(state));
    }

    [Fact]
    public void DropoutAtPredictionPassesInputsThrough()
    {
        var dropout = new Dropout(0.5f);
        dropout.Initialize(TensorShape.Vector(4), new Rng(1));
        var x = new Tensor([1f, 2f, 3f, 4f], 1, TensorShape.Vector(4));
        Assert.Equal(x.Span.ToArray(), dropout.Forward(x, training: false).Span.ToArray());
    }

    [Fact]
    public void DropoutKeepsTheExpectedValue()
    {
        // Inverted dropout: E[output] = input. Over 100,000 units of value 1 the mean is 1 within 4 standard errors.
        var dropout = new Dropout(0.3f);
        dropout.Initialize(TensorShape.Vector(100_000), new Rng(9));
        var x = new Tensor(1, TensorShape.Vector(100_000));
        x.Span.Fill(1f);
        var y = dropout.Forward(x, training: true).Span;
        double mean = 0;
        int zeros = 0;
        foreach (float v in y) { mean += v; if (v == 0) zeros++; }
        mean /= y.Length;
        double se = Math.Sqrt(0.3 / 0.7 / y.Length);
        Assert.InRange(mean, 1 - 4 * se, 1 + 4 * se);
        Assert.InRange(zeros / (double)y.Length, 0.29, 0.31);
    }

    [Theory, MemberData(nameof(Batches))]
    public void WholeNetwork(int batch)
    {
        var network = new Network(TensorShape.Vector(4),
            [new Dense(6, Initializer.Normal(0.7f)), new Tanh(), new Dense(5), new Sigmoid(), new Dense(3)],
            new SoftmaxCrossEntropy(), seed: 11);
        var rng = new Rng(2);
        var x = new Tensor(batch, TensorShape.Vector(4));
        for (int i = 0; i < x.Length; i++) x.Span[i] = rng.NextFloat(-1, 1);
        var labels = Enumerable.Range(0, batch).Select(i => (float)(i % 3)).ToArray();
        GradientCheck.Network(network, x, labels);
    }
}
