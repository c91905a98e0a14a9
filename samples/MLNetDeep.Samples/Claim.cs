using Spectre.Console;

namespace MLNetDeep.Samples;

/// <summary>
/// What a course sample claims, checked against its own numbers: the sample's exit code is 0 when the
/// numbers bear the claim out and 1 when they contradict it, so a test (or a user's script) notices.
/// </summary>
internal static class Claim
{
    /// <summary>The exit code of a sample whose numbers contradict its claim.</summary>
    public const int Contradicted = 1;

    /// <summary>Prints whether <paramref name="claim"/> holds, with the numbers that decide it, and returns the exit code.</summary>
    /// <param name="holds">Whether the numbers bear the claim out.</param>
    /// <param name="claim">The claim, as a sentence ("ReLU's first-layer gradient is larger than sigmoid's").</param>
    /// <param name="evidence">The numbers compared ("1.2e-2 against 3.4e-5").</param>
    public static int Check(bool holds, string claim, string evidence)
    {
        if (holds)
        {
            AnsiConsole.MarkupLine($"[green]Claim holds[/]: {Markup.Escape(claim)} ({Markup.Escape(evidence)}).");
            return 0;
        }
        AnsiConsole.MarkupLine($"[red]Claim contradicted[/]: {Markup.Escape(claim)} does not hold ({Markup.Escape(evidence)}).");
        return Contradicted;
    }

    /// <summary>Checks every claim and returns 0 only when all hold (each is printed, so one failure does not hide another).</summary>
    public static int All(params int[] exitCodes) => exitCodes.Any(code => code != 0) ? Contradicted : 0;

    /// <summary>Says plainly that quick mode's numbers are too few to decide the claim, and returns 0.</summary>
    public static int Skipped(string claim, string why)
    {
        AnsiConsole.MarkupLine($"[yellow]Claim not checked[/] in quick mode: {Markup.Escape(claim)} ({Markup.Escape(why)}; run without --quick to check it).");
        return 0;
    }
}
