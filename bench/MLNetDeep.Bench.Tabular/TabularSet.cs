namespace MLNetDeep.Bench.Tabular;

/// <summary>
/// One table of the suite: its CSV under Data/, the label column and its task; for a binary task the class that is
/// "true"; columns to leave out (row identifiers).
/// </summary>
internal sealed record TabularSet(string Name, string File, string Label, TabularTask Task, string? PositiveClass = null, params string[] Ignore)
{
    /// <summary>The suite: r-cran-mlbench, r-cran-modeldata and the Palmer penguins (see Data/README.md).</summary>
    public static IReadOnlyList<TabularSet> Suite { get; } =
    [
        new("Glass", "Glass.csv", "Type", TabularTask.Multiclass),
        new("Ionosphere", "Ionosphere.csv", "Class", TabularTask.Binary, "good"),
        new("Sonar", "Sonar.csv", "Class", TabularTask.Binary, "M"),
        new("PimaIndiansDiabetes", "PimaIndiansDiabetes.csv", "diabetes", TabularTask.Binary, "pos"),
        new("BreastCancer", "BreastCancer.csv", "Class", TabularTask.Binary, "malignant", "Id"),
        new("Vowel", "Vowel.csv", "Class", TabularTask.Multiclass),
        new("DNA", "DNA.csv", "Class", TabularTask.Multiclass),
        new("Penguins", "penguins.csv", "species", TabularTask.Multiclass),
        new("Servo", "Servo.csv", "Class", TabularTask.Regression),
        new("Concrete", "concrete.csv", "compressive_strength", TabularTask.Regression),
    ];
}
