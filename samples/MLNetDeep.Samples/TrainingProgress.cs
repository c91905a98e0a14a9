using System.Diagnostics;
using MLNetDeep.Engine.Training;
using Spectre.Console;

namespace MLNetDeep.Samples;

/// <summary>
/// Shows a network's training as it goes: epoch, loss, validation accuracy (training accuracy when the
/// run holds no validation rows), samples per second and the time left. On a terminal it is a live
/// Spectre.Console progress bar; when the output is redirected (CI, a log file) it is one plain line an
/// epoch, since a live display there would only write escape codes.
/// </summary>
internal static class TrainingProgress
{
    /// <summary>Whether the output is a terminal that can redraw a live display.</summary>
    public static bool Live => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>
    /// Runs <paramref name="train"/>, giving it the progress sink to put into DeepNetOptions.Progress (or
    /// NetworkTrainer.Fit), and shows each epoch's report under <paramref name="name"/>. With
    /// <paramref name="runs"/> above 1 (cross-validation's folds) the network is trained that many times in a
    /// row: epoch 1 again starts the next run, and the bar and the time left cover them all.
    /// </summary>
    public static T Show<T>(string name, Func<IProgress<EpochReport>, T> train, int runs = 1)
    {
        int run = 1, lastEpoch = 0;
        var watch = Stopwatch.StartNew();
        string Line(EpochReport report)
        {
            if (report.Epoch <= lastEpoch) run++;
            lastEpoch = report.Epoch;
            string prefix = runs > 1 ? $"run {run}/{runs}, " : "";
            return prefix + Describe(report, watch.Elapsed, (run - 1) * report.Epochs + report.Epoch, runs * report.Epochs);
        }
        if (!Live)
            return train(new Callback<EpochReport>(report =>
            {
                string line = Line(report);
                // A log file gets every epoch of a short run, and about twenty lines of a long one (XOR's 5,000 epochs).
                int every = report.Epochs <= 50 ? 1 : report.Epochs / 20;
                if (report.Epoch == 1 || report.Epoch % every == 0 || report.Epoch == report.Epochs)
                    Console.WriteLine($"  {name}: {line}");
            }));
        T? value = default;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape($"{name}: starting"), maxValue: 1);
                task.IsIndeterminate = true;
                value = train(new Callback<EpochReport>(report =>
                {
                    string line = Line(report);
                    task.IsIndeterminate = false;
                    task.MaxValue = runs * report.Epochs;
                    task.Value = (run - 1) * report.Epochs + report.Epoch;
                    task.Description = Markup.Escape($"{name}: {line}");
                }));
                task.Value = task.MaxValue;   // early stopping ends before the last epoch: the bar still closes
                task.StopTask();
            });
        return value!;
    }

    /// <summary>Shows a trainer that reports no epochs (ML.NET's own): a spinner on a terminal, a line before and after elsewhere.</summary>
    public static T ShowUntimed<T>(string name, Func<T> train)
    {
        if (!Live)
        {
            Console.WriteLine($"  {name}: training");
            return train();
        }
        T? value = default;
        AnsiConsole.Status().Start(Markup.Escape($"{name}: training"), _ => value = train());
        return value!;
    }

    /// <summary>One epoch's report as the line both displays show; <paramref name="done"/> of <paramref name="total"/> epochs are behind.</summary>
    public static string Describe(EpochReport report, TimeSpan elapsed, int done, int total)
    {
        string accuracy = report.ValidationAccuracy is double validation ? $"validation accuracy {validation:P1}"
            : report.TrainingAccuracy is double training ? $"training accuracy {training:P1}" : "";
        // The epochs so far at their mean pace: good enough for a bar, not a benchmark.
        var left = TimeSpan.FromTicks(elapsed.Ticks / done * (total - done));
        return $"epoch {report.Epoch}/{report.Epochs}, loss {report.TrainingLoss:F4}" + (accuracy.Length > 0 ? ", " + accuracy : "")
            + $", {report.SamplesPerSecond:N0} samples/s, {Format(left)} left";
    }

    private static string Format(TimeSpan span) => span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds:00} s" : $"{span.TotalSeconds:F0} s";
}
