using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Samples;

/// <summary>What a CSV column holds, as far as featurization is concerned.</summary>
internal enum ColumnKind
{
    /// <summary>Every value that is not missing reads as a number: filled where missing, then standardised.</summary>
    Numeric,

    /// <summary>Anything else: one indicator per value seen (a missing value is one more value).</summary>
    Categorical,
}

/// <summary>
/// A CSV file's columns and their kinds, inferred from the file itself: the header gives the names, and a
/// column is numeric when every value that is not missing (empty, NA, NaN or ?) reads as a number.
/// ML.NET's own column inference lives in the Microsoft.ML.AutoML package, which this sample does not take;
/// the rule here is the one that matters for its featurization, and the file is read by ML.NET's TextLoader.
/// </summary>
internal sealed record TabularColumns(string Path, char Separator, IReadOnlyList<(string Name, ColumnKind Kind)> Columns)
{
    private static readonly string[] MissingTokens = ["", "NA", "N/A", "NaN", "?", "null"];

    /// <summary>Reads <paramref name="path"/> and infers each column's kind.</summary>
    public static TabularColumns Infer(MLContext ml, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--data {path}: no such file.", path);
        string header = File.ReadLines(path).FirstOrDefault() ?? throw new InvalidDataException($"--data {path}: the file is empty.");
        char separator = new[] { ',', ';', '\t' }.MaxBy(c => header.Count(h => h == c));
        string[] names = header.Split(separator).Select(n => n.Trim().Trim('"')).ToArray();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1 || g.Key.Length == 0);
        if (duplicate is not null)
            throw new InvalidDataException($"--data {path}: the header names a column '{duplicate.Key}' {(duplicate.Key.Length == 0 ? "(empty)" : "twice")}.");

        // First every column as text, read by ML.NET's own CSV reader (quotes included).
        var text = ml.Data.LoadFromTextFile(path, Enumerable.Range(0, names.Length).Select(i => new TextLoader.Column(names[i], DataKind.String, i)).ToArray(),
            separatorChar: separator, hasHeader: true, allowQuoting: true);
        var columns = new List<(string, ColumnKind)>();
        foreach (string name in names)
        {
            var values = text.GetColumn<ReadOnlyMemory<char>>(name).Select(v => v.ToString().Trim()).ToArray();
            bool numeric = values.Any(v => !IsMissing(v)) && values.All(v => IsMissing(v) || float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            columns.Add((name, numeric ? ColumnKind.Numeric : ColumnKind.Categorical));
        }
        return new TabularColumns(path, separator, columns);
    }

    /// <summary>Whether a cell counts as missing.</summary>
    public static bool IsMissing(string value) => MissingTokens.Contains(value, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Loads the file with numeric columns as Single (a missing value becomes NaN, which ReplaceMissingValues
    /// then fills) and the others as text, the label column as text whatever it holds (the sample classifies).
    /// </summary>
    public IDataView Load(MLContext ml, string label)
    {
        if (!Columns.Any(c => c.Name == label))
            throw new ArgumentException($"--label {label}: '{Path}' has no such column; it has {string.Join(", ", Columns.Select(c => c.Name))}.");
        var loaderColumns = Columns.Select((c, i) => new TextLoader.Column(c.Name,
            c.Kind == ColumnKind.Numeric && c.Name != label ? DataKind.Single : DataKind.String, i)).ToArray();
        var view = ml.Data.LoadFromTextFile(Path, loaderColumns, separatorChar: Separator, hasHeader: true, allowQuoting: true);
        // The inference and TextLoader must agree on what is missing: a missing cell read as 0 would be filled by nothing.
        var asText = ml.Data.LoadFromTextFile(Path, Columns.Select((c, i) => new TextLoader.Column(c.Name, DataKind.String, i)).ToArray(),
            separatorChar: Separator, hasHeader: true, allowQuoting: true);
        foreach (var (name, _) in NumericFeatures(label))
        {
            int missing = asText.GetColumn<ReadOnlyMemory<char>>(name).Count(v => IsMissing(v.ToString().Trim()));
            int nan = view.GetColumn<float>(name).Count(float.IsNaN);
            if (missing != nan)
                throw new InvalidDataException($"--data {Path}: column '{name}' has {missing} missing cells but TextLoader read {nan} of them as NaN.");
        }
        return view;
    }

    /// <summary>The numeric columns other than the label.</summary>
    public IEnumerable<(string Name, ColumnKind Kind)> NumericFeatures(string label) => Columns.Where(c => c.Kind == ColumnKind.Numeric && c.Name != label);

    /// <summary>The categorical columns other than the label.</summary>
    public IEnumerable<(string Name, ColumnKind Kind)> CategoricalFeatures(string label) => Columns.Where(c => c.Kind == ColumnKind.Categorical && c.Name != label);
}
