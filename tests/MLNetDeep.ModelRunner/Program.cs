// Usage: MLNetDeep.ModelRunner <model.zip> <features file> <output file>
// A features file whose name ends in ".paths" is instead text, one image path a line, read as column ImagePath.
// The features file is little-endian: int32 rows, int32 features per row, then the float32 values.
// The output is one tab-separated line per row with every column the model adds (header line first):
// floats as the hex of their bits, float vectors as space-separated hex, other values as text.
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.ModelRunner;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: MLNetDeep.ModelRunner <model.zip> <features file> <output file>");
    return 2;
}

var ml = new MLContext(seed: 1);
ITransformer model = ml.Model.Load(args[0], out DataViewSchema _);
IDataView input = args[1].EndsWith(".paths", StringComparison.Ordinal)
    ? ml.Data.LoadFromEnumerable(File.ReadAllLines(args[1]).Select(path => new ImagePathRow { ImagePath = path }))
    : FeatureFile.Read(ml, args[1]);
IDataView scored = model.Transform(input);

var added = scored.Schema.Where(column => !column.IsHidden && input.Schema.GetColumnOrNull(column.Name) is null && ValueText.CanWrite(column.Type)).ToArray();
using var writer = new StreamWriter(args[2]);
writer.WriteLine(string.Join('\t', added.Select(column => column.Name)));
using DataViewRowCursor cursor = scored.GetRowCursor(added);
var formatters = added.Select(column => ValueText.For(cursor, column)).ToArray();
while (cursor.MoveNext())
    writer.WriteLine(string.Join('\t', formatters.Select(format => format())));
return 0;

/// <summary>One image to score.</summary>
internal sealed class ImagePathRow
{
    public string ImagePath { get; set; } = "";
}
