using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetDeep.Datasets;

namespace MLNetDeep;

/// <summary>
/// IDX (MNIST format) data as an IDataView: <c>mlContext.Data.LoadFromIdx(images, labels)</c>, and the
/// 10,000 embedded MNIST digits without any file: <c>mlContext.Data.LoadEmbeddedDigits()</c>.
/// </summary>
public static class IdxDataCatalog
{
    /// <summary>
    /// Loads an IDX image file and its label file (raw or gzipped) as rows with a Single
    /// <c>Label</c> and a <c>Features</c> vector of rows x cols Single values whose type carries
    /// the dimensions [1, rows, cols] (so a convolutional network sees an image). Pixels are
    /// scaled to [0, 1] unless <paramref name="scaleToUnit"/> is false (then 0..255).
    /// </summary>
    public static IDataView LoadFromIdx(this DataOperationsCatalog catalog, string imagesPath, string labelsPath, bool scaleToUnit = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var images = IdxFile.ReadImages(imagesPath);
        var labels = IdxFile.ReadLabels(labelsPath);
        if (images.Count != labels.Length)
            throw new InvalidDataException($"'{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Length} labels.");
        return FromIdx(catalog, images, labels, scaleToUnit);
    }

    /// <summary>
    /// The 10,000 embedded MNIST digits (LeCun, Cortes and Burges, CC BY-SA 3.0), in the same
    /// layout as <see cref="LoadFromIdx"/>. By convention the first 8,000 rows train and the last
    /// 2,000 test: <c>TakeRows(data, 8000)</c> and <c>SkipRows(data, 8000)</c>.
    /// </summary>
    public static IDataView LoadEmbeddedDigits(this DataOperationsCatalog catalog, bool scaleToUnit = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return FromIdx(catalog, EmbeddedDigits.Images, EmbeddedDigits.Labels, scaleToUnit);
    }

    private static IDataView FromIdx(DataOperationsCatalog catalog, IdxImages images, byte[] labels, bool scale)
    {
        var schema = SchemaDefinition.Create(typeof(IdxRow));
        schema[nameof(IdxRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, images.Rows, images.Columns);
        float divisor = scale ? 255f : 1f;
        return catalog.LoadFromEnumerable(Rows(images, labels, divisor), schema);
    }

    private static IEnumerable<IdxRow> Rows(IdxImages images, byte[] labels, float divisor)
    {
        for (int i = 0; i < images.Count; i++)
        {
            var pixels = images.Image(i);
            var features = new float[pixels.Length];
            for (int j = 0; j < features.Length; j++) features[j] = pixels[j] / divisor;
            yield return new IdxRow { Label = labels[i], Features = features };
        }
    }

    /// <summary>One IDX row.</summary>
    private sealed class IdxRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
