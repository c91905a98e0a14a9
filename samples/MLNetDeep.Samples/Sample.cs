using Spectre.Console;

namespace MLNetDeep.Samples;

/// <summary>What every subcommand is given: where to write charts, whether to run small, which data to use.</summary>
/// <param name="Quick">Tiny data and few epochs, so CI can run every sample in seconds; the numbers then mean little.</param>
/// <param name="OutputDirectory">Where the PNG charts go (created when needed).</param>
/// <param name="DataDirectory">An IDX folder (train-images-idx3-ubyte.gz ...) to use instead of the embedded digits, or, for the tabular sample, a CSV file; or null.</param>
/// <param name="LabelColumn">The tabular sample's label column (--label), or null.</param>
internal sealed record SampleContext(bool Quick, string OutputDirectory, string? DataDirectory, string? LabelColumn = null)
{
    /// <summary>The full path of a chart file in the output directory, creating the directory.</summary>
    public string ChartPath(string fileName)
    {
        Directory.CreateDirectory(OutputDirectory);
        return Path.GetFullPath(Path.Combine(OutputDirectory, fileName));
    }
}

/// <summary>The subcommands and the command line.</summary>
internal static class Sample
{
    private static readonly (string Name, string Summary, Func<SampleContext, int> Run)[] All =
    [
        ("compare", "DeepNet against ML.NET's LinearSvm, FastForest, LightGbm, SDCA and L-BFGS on the digits (the main job)", Compare.Run),
        ("xor", "XOR learned by a 2-2-1 sigmoid network: the course's truth table", Xor.Run),
        ("backprop", "f = (a+b)(b+c): local derivatives, the chain rule, and finite differences", Backprop.Run),
        ("activations", "sigmoid, tanh, ReLU, Leaky ReLU, ELU, Maxout and their derivatives", Activations.Run),
        ("vanishing", "per-layer gradient norms of a deep sigmoid network against ReLU", Vanishing.Run),
        ("init", "random normal N(0,1) against Xavier and He initialisation", Init.Run),
        ("dropout", "overfitting on 1,000 digits, and dropout as its cure", Dropout.Run),
        ("optimizers", "SGD, Momentum, Nesterov, Adagrad, RMSProp, AdaDelta, Adam, AdamW, NAdam", Optimizers.Run),
        ("widedeep", "the course's lab-10 table (softmax, NN, Xavier, deep, dropout) on the digits", WideDeep.Run),
        ("cnn", "the course's lab-11: a convolutional network against the MLP on the digits", Cnn.Run),
        ("tabular", "any CSV (--data FILE --label COLUMN; default: the Palmer penguins): DeepNet against LightGbm, FastForest and SDCA, cross-validated", Tabular.Run),
        ("onnx", "a digits CNN exported to ONNX two ways and served by ONNX Runtime, beside PredictionEngine", Onnx.Run),
    ];

    /// <summary>The subcommand names, in the order of the help text.</summary>
    public static IReadOnlyList<string> Names => All.Select(s => s.Name).ToArray();

    public static int Run(string[] args)
    {
        // Tables are wider than 80 columns: give them room when the output goes to a file or a pipe.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 120;
        bool quick = false;
        string output = "out";
        string? data = null, name = null, label = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                case "--data" when i + 1 < args.Length: data = args[++i]; break;
                case "--label" when i + 1 < args.Length: label = args[++i]; break;
                case "-h" or "--help": return Help(0);
                case var a when !a.StartsWith('-') && name is null: name = a; break;
                default:
                    AnsiConsole.MarkupLine($"[red]Unknown argument[/] {Markup.Escape(args[i])}");
                    return Help(2);
            }
        }
        var sample = All.FirstOrDefault(s => s.Name == name);
        if (sample.Run is null)
        {
            if (name is not null) AnsiConsole.MarkupLine($"[red]Unknown sample[/] {Markup.Escape(name)}");
            return Help(name is null ? 0 : 2);
        }
        bool tabular = sample.Name == "tabular";
        if (data is not null && !(tabular ? File.Exists(data) : Directory.Exists(data)))
        {
            AnsiConsole.MarkupLine($"[red]--data {Markup.Escape(data)}[/]: no such {(tabular ? "file" : "folder")}.");
            return 2;
        }
        if (label is not null && !tabular)
        {
            AnsiConsole.MarkupLine($"[red]--label[/] is for the tabular sample only.");
            return 2;
        }
        AnsiConsole.Write(new Rule($"[bold]{sample.Name}[/]: {Markup.Escape(sample.Summary)}").LeftJustified());
        return sample.Run(new SampleContext(quick, output, data, label));
    }

    private static int Help(int exitCode)
    {
        AnsiConsole.MarkupLine("Usage: dotnet run --project samples/MLNetDeep.Samples -c Release -- [bold]<sample>[/] [[--quick]] [[--out DIR]] [[--data DIR|FILE]] [[--label COLUMN]]");
        var table = new Table().AddColumns("sample", "what it shows");
        foreach (var s in All) table.AddRow(s.Name, Markup.Escape(s.Summary));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("--quick: tiny data and few epochs (seconds); --out: where charts go (default ./out); --data: an IDX folder (MNIST file names) instead of the embedded digits, or for tabular a CSV file, with --label COLUMN.");
        return exitCode;
    }
}
