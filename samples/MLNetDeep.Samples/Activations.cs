// The course's activation functions and their derivatives on [-5, 5], computed by the engine's own
// layers: Forward gives f(x), and Backward of a gradient of ones gives f'(x), exactly what
// backpropagation multiplies by. Maxout is max(w1 x + b1, w2 x + b2): a Dense layer with two
// hand-set lines followed by the Maxout layer, so its "derivative" is the slope of the winning line.
using MLNetDeep.Engine.Activations;
using MLNetDeep.Engine.Layers;
using MLNetDeep.Engine.Tensors;
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Activations
{
    private const int Points = 401;

    public static int Run(SampleContext context)
    {
        double[] xs = Enumerable.Range(0, Points).Select(i => -5 + 10.0 * i / (Points - 1)).ToArray();
        var functions = new (string Name, string Formula, Func<Layer[]> Layers)[]
        {
            ("sigmoid", "1/(1 + e^-x)", () => [new Sigmoid()]),
            ("tanh", "tanh(x)", () => [new Tanh()]),
            ("ReLU", "max(0, x)", () => [new Relu()]),
            ("Leaky ReLU", "max(0.1x, x)", () => [new LeakyRelu(0.1f)]),
            ("ELU", "x or e^x - 1", () => [new Elu(1f)]),
            ("Maxout", "max(x, -x/2 - 1.5)", () => [MaxoutLines(), new Maxout(2)]),
        };

        var valuesPlot = Charts.New("Activation functions", "x", "f(x)");
        var slopesPlot = Charts.New("Their derivatives (the engine's Backward)", "x", "f'(x)");
        var table = new Table().AddColumns("function", "f(x)", "f(-2)", "f(0)", "f(2)", "f'(-2)", "f'(2)", "|f' - FD|");
        double worst = 0;
        for (int i = 0; i < functions.Length; i++)
        {
            var (name, formula, layers) = functions[i];
            var (f, df) = Evaluate(layers(), xs);
            double error = FiniteDifferenceError(layers(), xs, df);
            worst = Math.Max(worst, error);
            Charts.Line(valuesPlot, xs, f, name, i, markers: false);
            Charts.Line(slopesPlot, xs, df, name, i, markers: false);
            int at(double x) => (int)Math.Round((x + 5) / 10 * (Points - 1));
            table.AddRow(name, Markup.Escape(formula), N(f[at(-2)]), N(f[at(0)]), N(f[at(2)]), N(df[at(-2)]), N(df[at(2)]), $"{error:0.0e0}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("|f' - FD|: the largest gap, away from the kinks, between Backward and central finite differences.");
        AnsiConsole.MarkupLine("Sigmoid's slope is at most 0.25 and tanh's at most 1, and both vanish for large |x|; ReLU and its kin keep a slope of 1 for x > 0.");
        valuesPlot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        slopesPlot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        slopesPlot.Axes.SetLimitsY(-0.7, 1.3);
        Charts.SaveSideBySide(context.ChartPath("activations.png"), 1400, 560, valuesPlot, slopesPlot);
        return worst < 1e-2 ? 0 : 1;
    }

    private static string N(double value) => (Math.Round(value, 3) + 0.0).ToString("F3");

    /// <summary>Two lines of x, y1 = x and y2 = -0.5x - 1.5, as the weights of a Dense(2) layer.</summary>
    private static Dense MaxoutLines()
    {
        var dense = new Dense(2);
        dense.Initialize(TensorShape.Vector(1), new Rng(1));
        dense.Weight.Value[0] = 1f; dense.Bias.Value[0] = 0f;
        dense.Weight.Value[1] = -0.5f; dense.Bias.Value[1] = -1.5f;
        return dense;
    }

    /// <summary>f(x) by Forward and f'(x) by Backward of ones, every x a sample of one value.</summary>
    private static (double[] F, double[] DF) Evaluate(Layer[] layers, double[] xs)
    {
        var shape = TensorShape.Vector(1);
        foreach (var layer in layers) shape = layer.IsInitialized ? layer.OutputShape : layer.Initialize(shape, new Rng(1));
        var x = new Tensor(xs.Select(v => (float)v).ToArray(), xs.Length, TensorShape.Vector(1));
        foreach (var layer in layers) x = layer.Forward(x, training: true);
        double[] f = x.Span.ToArray().Select(v => (double)v).ToArray();
        var g = new Tensor(Enumerable.Repeat(1f, xs.Length).ToArray(), xs.Length, x.SampleShape);
        for (int i = layers.Length - 1; i >= 0; i--) g = layers[i].Backward(g);
        return (f, g.Span.ToArray().Select(v => (double)v).ToArray());
    }

    /// <summary>The largest gap between Backward and (f(x + h) - f(x - h)) / 2h, away from the kinks.</summary>
    private static double FiniteDifferenceError(Layer[] layers, double[] xs, double[] df)
    {
        const double h = 1e-2;
        var (plus, _) = Evaluate(layers, xs.Select(x => x + h).ToArray());
        var (minus, _) = Evaluate(layers, xs.Select(x => x - h).ToArray());
        double worst = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            if (Math.Abs(xs[i]) < 2 * h || Math.Abs(xs[i] + 1) < 2 * h) continue; // ReLU's kink at 0, Maxout's at -1
            worst = Math.Max(worst, Math.Abs((plus[i] - minus[i]) / (2 * h) - df[i]));
        }
        return worst;
    }
}
