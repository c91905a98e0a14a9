using Microsoft.ML;

namespace MLNetDeep;

/// <summary>
/// DeepNet on ML.NET's trainer catalogs: <c>mlContext.MulticlassClassification.Trainers.DeepNet(...)</c>,
/// <c>mlContext.BinaryClassification.Trainers.DeepNet(...)</c> and <c>mlContext.Regression.Trainers.DeepNet(...)</c>.
/// </summary>
public static class DeepNetCatalog
{
    /// <summary>A neural-network multiclass classifier. The label must be a key (use MapValueToKey).</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The key label column.</param>
    /// <param name="featureColumnName">The features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden layer sizes (ReLU); null for [256, 128].</param>
    /// <param name="epochs">Passes over the data; null scales them to the rows (see <see cref="DeepNetOptions.Epochs"/>).</param>
    /// <param name="exampleWeightColumnName">A Single column weighing each row in the loss; null for none.</param>
    public static DeepNetTrainer DeepNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int? epochs = null,
        string? exampleWeightColumnName = null) =>
        DeepNet(catalog, Simple(labelColumnName, featureColumnName, hiddenLayers, epochs, exampleWeightColumnName));

    /// <summary>A neural-network multiclass classifier with every option.</summary>
    public static DeepNetTrainer DeepNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, DeepNetOptions options) =>
        new(Environment(catalog), NetworkPredictionKind.MulticlassClassification, options);

    /// <summary>A neural-network binary classifier. The label must be Boolean.</summary>
    /// <param name="catalog">The binary trainers catalog.</param>
    /// <param name="labelColumnName">The Boolean label column.</param>
    /// <param name="featureColumnName">The features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden layer sizes (ReLU); null for [256, 128].</param>
    /// <param name="epochs">Passes over the data; null scales them to the rows (see <see cref="DeepNetOptions.Epochs"/>).</param>
    /// <param name="exampleWeightColumnName">A Single column weighing each row in the loss; null for none.</param>
    public static DeepNetTrainer DeepNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int? epochs = null,
        string? exampleWeightColumnName = null) =>
        DeepNet(catalog, Simple(labelColumnName, featureColumnName, hiddenLayers, epochs, exampleWeightColumnName));

    /// <summary>A neural-network binary classifier with every option.</summary>
    public static DeepNetTrainer DeepNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, DeepNetOptions options) =>
        new(Environment(catalog), NetworkPredictionKind.BinaryClassification, options);

    /// <summary>A neural-network regressor. The label must be Single.</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The Single label column.</param>
    /// <param name="featureColumnName">The features column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden layer sizes (ReLU); null for [256, 128].</param>
    /// <param name="epochs">Passes over the data; null scales them to the rows (see <see cref="DeepNetOptions.Epochs"/>).</param>
    /// <param name="exampleWeightColumnName">A Single column weighing each row in the loss; null for none.</param>
    public static DeepNetTrainer DeepNet(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayers = null, int? epochs = null,
        string? exampleWeightColumnName = null) =>
        DeepNet(catalog, Simple(labelColumnName, featureColumnName, hiddenLayers, epochs, exampleWeightColumnName));

    /// <summary>A neural-network regressor with every option.</summary>
    public static DeepNetTrainer DeepNet(this RegressionCatalog.RegressionTrainers catalog, DeepNetOptions options) =>
        new(Environment(catalog), NetworkPredictionKind.Regression, options);

    private static DeepNetOptions Simple(string label, string features, int[]? hidden, int? epochs, string? weight)
    {
        var options = new DeepNetOptions { LabelColumnName = label, FeatureColumnName = features, Epochs = epochs, ExampleWeightColumnName = weight };
        if (hidden is not null) options.HiddenLayers = hidden;
        return options;
    }

    private static Microsoft.ML.Runtime.IHostEnvironment Environment(object catalog) =>
        Internal.CatalogEnvironment.Of(catalog);
}
