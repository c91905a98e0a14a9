namespace MLNetDeep.Bench.Tabular;

/// <summary>
/// One row of a table as ML.NET reads it: every numeric column in one vector (NaN where missing), every
/// categorical one in another (empty where missing, a category of its own), and the label in the field its task uses.
/// The vectors' sizes are set per table in the schema definition (<see cref="TabularTable.ToDataView"/>).
/// </summary>
internal sealed class TabularRow
{
    public float[] Numeric { get; set; } = [];

    public string[] Categorical { get; set; } = [];

    public bool BinaryLabel { get; set; }

    public string ClassLabel { get; set; } = "";

    public float Value { get; set; }
}
