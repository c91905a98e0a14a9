using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Losses;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Engine.Tests.Gradients;

/// <summary>
/// The one gradient check every layer, activation and loss goes through: Backward's analytic
/// gradient against central differences (f(x+h) - f(x-h)) / 2h of a scalar objective.
///
/// Tolerance: |analytic - numeric| &lt;= Atol + Rtol * max(|analytic|, |numeric|), with h = 1e-2,
/// Atol = 1e-3, Rtol = 1e-2. Why: the forward pass runs in float32 (relative rounding about 6e-8
/// per operation). The objective sums at most a few hundred O(1) terms (summed here in double), so
/// its rounding error stays below about 1e-5, which divided by 2h = 0.02 is under 5e-4 &lt; Atol.
/// The truncation error of central differences is h²/6 |f'''| &lt;= 2e-5 |f'''|, well inside Rtol
/// for the smooth functions checked (inputs are kept at least 2h away from kinks such as ReLU's 0).
/// A real bug (a missing factor, a transposed index, a wrong sign) is off by about the gradient
/// itself: 100 times the relative tolerance.
/// </summary>
public static class GradientCheck
{
    public const float H = 1e-2f;
    public const double Atol = 1e-3, Rtol = 1e-2;

    /// <summary>
    /// Checks a layer's input gradient and every parameter gradient, with objective
    /// L = Σ r ⊙ layer(x) for a fixed random r. <paramref name="beforeForward"/> runs before every
    /// forward pass (to replay a dropout mask, for instance).
    /// </summary>
    public static void Layer(Layer layer, TensorShape inputShape, int batch, ulong seed = 7,
        Func<Rng, float>? draw = null, Action? beforeForward = null, bool checkInput = true)
    {
        var rng = new Rng(seed);
        if (!layer.IsInitialized) layer.Initialize(inputShape, rng);
        draw ??= r => r.NextFloat(-1f, 1f);
        var x = new Tensor(batch, inputShape);
        for (int i = 0; i < x.Length; i++) x.Span[i] = draw(rng);
        var r = new Tensor(batch, layer.OutputShape);
        for (int i = 0; i < r.Length; i++) r.Span[i] = rng.NextFloat(-1f, 1f);

        double Objective()
        {
            beforeForward?.Invoke();
            var y = layer.Forward(x, training: true);
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += (double)y.Span[i] * r.Span[i];
            return sum;
        }

        Objective();
        var dx = layer.Backward(r).Span.ToArray();
        // A container's parameters are its children's: check every layer's below it too.
        var owned = OwnAndBelow(layer).SelectMany(l => l.Parameters.Select(p => (Layer: l, Parameter: p))).ToArray();
        var paramGrads = owned.Select(o => o.Parameter.Gradient.ToArray()).ToArray();

        if (checkInput && layer.ComputeInputGradient)
            Compare($"{layer} d/dinput (batch {batch})", x.Buffer, x.Length, dx, Objective);
        for (int p = 0; p < owned.Length; p++)
        {
            var (owner, param) = owned[p];
            Compare($"{owner} d/d{param.Name} (batch {batch})", param.Value, param.Length, paramGrads[p], Objective);
        }
    }

    /// <summary>The layer and every layer it contains, depth first.</summary>
    public static IEnumerable<Layer> OwnAndBelow(Layer layer) => [layer, .. layer.Children.SelectMany(OwnAndBelow)];

    /// <summary>Checks a loss's gradient with respect to the network output.</summary>
    public static void Loss(Loss loss, Tensor output, float[] targets)
    {
        var gradient = new Tensor(output.Batch, output.SampleShape);
        loss.Compute(output, targets, gradient);
        var analytic = gradient.Span.ToArray();
        Compare($"{loss} (batch {output.Batch})", output.Buffer, output.Length, analytic, () => loss.Compute(output, targets, null));
    }

    /// <summary>Checks every parameter gradient of a whole network on a batch.</summary>
    public static void Network(Network network, Tensor input, float[] targets)
    {
        double Objective() => network.Loss.Compute(network.Forward(input, training: true), targets, null);
        var output = network.Forward(input, training: true);
        var gradient = new Tensor(output.Batch, output.SampleShape);
        network.Loss.Compute(output, targets, gradient);
        network.Backward(gradient);
        foreach (var layer in network.AllLayers)
            foreach (var param in layer.Parameters)
                Compare($"{layer} d/d{param.Name}", param.Value, param.Length, param.Gradient.ToArray(), Objective);
    }

    private static void Compare(string what, float[] values, int count, float[] analytic, Func<double> objective)
    {
        int checkedCount = 0;
        for (int i = 0; i < count; i++)
        {
            float saved = values[i];
            values[i] = saved + H;
            double plus = objective();
            values[i] = saved - H;
            double minus = objective();
            values[i] = saved;
            double numeric = (plus - minus) / (2.0 * H);
            double a = analytic[i];
            double allowed = Atol + Rtol * Math.Max(Math.Abs(a), Math.Abs(numeric));
            Assert.True(Math.Abs(a - numeric) <= allowed,
                $"{what}[{i}]: analytic {a:G6}, numeric {numeric:G6}, difference {Math.Abs(a - numeric):G3} > {allowed:G3}");
            checkedCount++;
        }
        objective(); // leave the caches as they were for the unperturbed values
        Assert.True(checkedCount > 0, $"{what}: nothing was checked.");
    }
}
