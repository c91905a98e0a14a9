using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetDeep.ModelRunner;

/// <summary>Reads the features file into a data view with one "Features" column of known size.</summary>
internal static class FeatureFile
{
    public static IDataView Read(MLContext ml, string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int rows = reader.ReadInt32();
        int size = reader.ReadInt32();
        var data = new List<FeatureRow>(rows);
        for (int r = 0; r < rows; r++)
        {
            var features = new float[size];
            for (int i = 0; i < size; i++)
                features[i] = reader.ReadSingle();
            data.Add(new FeatureRow { Features = features });
        }
        SchemaDefinition schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable(data, schema);
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
