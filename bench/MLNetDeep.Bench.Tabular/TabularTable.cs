using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.Bench.Tabular;

/// <summary>
/// A table read from its CSV: a column is numeric when every value that is not missing (empty or NA) reads as a
/// number, categorical otherwise. Rows with a missing label are dropped.
/// </summary>
internal sealed class TabularTable
{
    private static readonly string[] MissingTokens = ["", "NA", "NaN", "?"];

    private TabularTable(TabularSet set, string[] numeric, string[] categorical, List<TabularRow> rows)
    {
        Set = set;
        NumericColumns = numeric;
        CategoricalColumns = categorical;
        Rows = rows;
    }

    public TabularSet Set { get; }

    public string[] NumericColumns { get; }

    public string[] CategoricalColumns { get; }

    public IReadOnlyList<TabularRow> Rows { get; }

    /// <summary>The number of classes of a classification, 0 for regression.</summary>
    public int Classes => Set.Task == TabularTask.Regression ? 0 : Rows.Select(r => r.ClassLabel).Distinct().Count();

    /// <summary>Reads <paramref name="set"/>'s CSV from <paramref name="folder"/>.</summary>
    public static TabularTable Read(TabularSet set, string folder)
    {
        string path = Path.Combine(folder, set.File);
        if (!File.Exists(path)) throw new FileNotFoundException($"{set.Name}: no file {path}.", path);
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).Select(Split).ToList();
        var header = lines[0];
        int label = Array.IndexOf(header, set.Label);
        if (label < 0) throw new InvalidDataException($"{path}: no label column '{set.Label}'; its columns: {string.Join(", ", header)}.");
        var body = lines.Skip(1).ToList();
        foreach (var (row, i) in body.Select((r, i) => (r, i)))
            if (row.Length != header.Length) throw new InvalidDataException($"{path}, line {i + 2}: {row.Length} fields, the header has {header.Length}.");
        var features = Enumerable.Range(0, header.Length).Where(c => c != label && !set.Ignore.Contains(header[c])).ToArray();
        var numeric = features.Where(c => body.All(r => IsMissing(r[c]) || TryNumber(r[c], out _))).ToArray();
        var categorical = features.Except(numeric).ToArray();
        var rows = new List<TabularRow>();
        foreach (var r in body)
        {
            if (IsMissing(r[label])) continue;
            var row = new TabularRow
            {
                Numeric = numeric.Select(c => TryNumber(r[c], out float v) ? v : float.NaN).ToArray(),
                Categorical = categorical.Select(c => IsMissing(r[c]) ? "" : r[c]).ToArray(),
            };
            switch (set.Task)
            {
                case TabularTask.Binary: row.BinaryLabel = r[label] == set.PositiveClass; row.ClassLabel = r[label]; break;
                case TabularTask.Multiclass: row.ClassLabel = r[label]; break;
                default:
                    if (!TryNumber(r[label], out float value)) throw new InvalidDataException($"{path}: label '{r[label]}' of a regression is not a number.");
                    row.Value = value;
                    break;
            }
            rows.Add(row);
        }
        if (set.Task == TabularTask.Binary && !rows.Any(r => r.BinaryLabel))
            throw new InvalidDataException($"{path}: no row of the positive class '{set.PositiveClass}'.");
        return new TabularTable(set, [.. numeric.Select(c => header[c])], [.. categorical.Select(c => header[c])], rows);
    }

    /// <summary>The rows as an IDataView with vector columns Numeric and Categorical of this table's sizes.</summary>
    public IDataView ToDataView(MLContext ml)
    {
        var schema = SchemaDefinition.Create(typeof(TabularRow));
        schema[nameof(TabularRow.Numeric)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Math.Max(1, NumericColumns.Length));
        schema[nameof(TabularRow.Categorical)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, Math.Max(1, CategoricalColumns.Length));
        // A table without columns of a kind still gets a one-slot placeholder, which the pipeline never reads.
        var rows = Rows.Select(r => new TabularRow
        {
            Numeric = r.Numeric.Length > 0 ? r.Numeric : [0f],
            Categorical = r.Categorical.Length > 0 ? r.Categorical : [""],
            BinaryLabel = r.BinaryLabel, ClassLabel = r.ClassLabel, Value = r.Value,
        }).ToList();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The label's variance (regression), for R².</summary>
    public double LabelVariance()
    {
        double mean = Rows.Average(r => (double)r.Value);
        return Rows.Average(r => (r.Value - mean) * (r.Value - mean));
    }

    private static bool IsMissing(string value) => MissingTokens.Contains(value);

    private static bool TryNumber(string value, out float number) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && float.IsFinite(number);

    /// <summary>One CSV line: comma-separated, fields optionally in double quotes ("" inside a quoted field is a quote).</summary>
    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return [.. fields];
    }
}
