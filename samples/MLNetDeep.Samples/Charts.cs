using ScottPlot;
using Spectre.Console;
using Color = ScottPlot.Color;

namespace MLNetDeep.Samples;

/// <summary>Small helpers around ScottPlot shared by the samples.</summary>
internal static class Charts
{
    /// <summary>The palette every chart uses, so a name keeps its colour within a chart.</summary>
    public static Color ColorAt(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    /// <summary>A plot with a title and axis labels.</summary>
    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans"); // falls back to the default font where it is not installed
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Adds a line with markers and a legend entry.</summary>
    public static void Line(Plot plot, double[] xs, double[] ys, string label, int colorIndex, bool markers = true)
    {
        var line = plot.Add.Scatter(xs, ys, ColorAt(colorIndex));
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = markers ? 6 : 0;
    }

    /// <summary>
    /// Shows the left axis in powers of ten. ScottPlot has no log axis: the data must already be
    /// log10 of the values, and this labels the ticks with the values themselves.
    /// </summary>
    public static void LogY(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:0}",
        };
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(.05);
    }

    /// <summary>Ticks at whole numbers only (epochs, layers).</summary>
    public static void IntegerX(Plot plot) =>
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    /// <summary>Saves the plot as a PNG and says where.</summary>
    public static void Save(Plot plot, string path, int width = 900, int height = 560)
    {
        plot.SavePng(path, width, height);
        Saved(path);
    }

    /// <summary>Saves plots side by side as one PNG and says where.</summary>
    public static void SaveSideBySide(string path, int width, int height, params Plot[] plots)
    {
        var multiplot = new Multiplot(plots[0]);
        foreach (var plot in plots.Skip(1)) multiplot.Subplots.Add(plot);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, width, height);
        Saved(path);
    }

    private static void Saved(string path) => AnsiConsole.MarkupLine($"Chart: [link]{Markup.Escape(path)}[/]");
}
