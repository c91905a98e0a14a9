// Backpropagation on the course's computational graph f = (a + b)(b + c) at a = -1, b = 3, c = 4.
// Forward: x = a + b = 2, y = b + c = 7, f = x * y = 14. Backward: each node multiplies the gradient
// that reaches it by its local derivative and passes it on; where two paths meet (b feeds both x
// and y) the contributions add. The result is checked against central finite differences.
using Spectre.Console;

namespace MLNetDeep.Samples;

internal static class Backprop
{
    public static int Run(SampleContext context)
    {
        double a = -1, b = 3, c = 4;

        // Forward pass, one node at a time.
        double x = a + b;
        double y = b + c;
        double f = x * y;

        // Local derivatives: what each node knows about itself alone.
        double dxda = 1, dxdb = 1;      // x = a + b
        double dydb = 1, dydc = 1;      // y = b + c
        double dfdx = y, dfdy = x;      // f = x * y

        // Backward pass: the chain rule, from f back to the inputs.
        double dfda = dfdx * dxda;
        double dfdb = dfdx * dxdb + dfdy * dydb;   // b reaches f along two paths
        double dfdc = dfdy * dydc;

        AnsiConsole.MarkupLine($"Forward: a = {a}, b = {b}, c = {c};  x = a + b = {x},  y = b + c = {y},  [bold]f = x * y = {f}[/]");
        var local = new Table().Title("Local derivatives").AddColumns("node", "derivative", "formula", "value");
        local.AddRow("x = a + b", "∂x/∂a", "1", $"{dxda}");
        local.AddRow("x = a + b", "∂x/∂b", "1", $"{dxdb}");
        local.AddRow("y = b + c", "∂y/∂b", "1", $"{dydb}");
        local.AddRow("y = b + c", "∂y/∂c", "1", $"{dydc}");
        local.AddRow("f = x * y", "∂f/∂x", "y", $"{dfdx}");
        local.AddRow("f = x * y", "∂f/∂y", "x", $"{dfdy}");
        AnsiConsole.Write(local);

        // Central differences: (f(v + h) - f(v - h)) / 2h, exact up to rounding for this quadratic f.
        static double F(double a, double b, double c) => (a + b) * (b + c);
        const double h = 1e-4;
        double numA = (F(a + h, b, c) - F(a - h, b, c)) / (2 * h);
        double numB = (F(a, b + h, c) - F(a, b - h, c)) / (2 * h);
        double numC = (F(a, b, c + h) - F(a, b, c - h)) / (2 * h);

        var gradients = new Table().Title("Gradients").AddColumns("gradient", "chain rule", "backpropagation", "finite differences", "course");
        gradients.AddRow("df/da", "∂f/∂x · ∂x/∂a", $"{dfda}", $"{numA:F6}", "7");
        gradients.AddRow("df/db", "∂f/∂x · ∂x/∂b + ∂f/∂y · ∂y/∂b", $"{dfdb}", $"{numB:F6}", "9");
        gradients.AddRow("df/dc", "∂f/∂y · ∂y/∂c", $"{dfdc}", $"{numC:F6}", "2");
        AnsiConsole.Write(gradients);

        bool agree = f == 14 && dfda == 7 && dfdb == 9 && dfdc == 2
            && Math.Abs(numA - dfda) < 1e-6 && Math.Abs(numB - dfdb) < 1e-6 && Math.Abs(numC - dfdc) < 1e-6;
        AnsiConsole.MarkupLine(agree
            ? "[green]Backpropagation, finite differences and the course agree.[/]"
            : "[red]Backpropagation and finite differences disagree.[/]");
        return agree ? 0 : 1;
    }
}
