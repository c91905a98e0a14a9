using Microsoft.ML.Data;

namespace MLNetDeep.Tests;

/// <summary>A multiclass example: a text label and four features.</summary>
public sealed class MulticlassRow
{
    public string Label { get; set; } = "";

    [VectorType(4)]
    public float[] Features { get; set; } = [];
}

/// <summary>A binary example.</summary>
public sealed class BinaryRow
{
    public bool Label { get; set; }

    [VectorType(2)]
    public float[] Features { get; set; } = [];
}

/// <summary>A regression example.</summary>
public sealed class RegressionRow
{
    public float Label { get; set; }

    [VectorType(2)]
    public float[] Features { get; set; } = [];
}

/// <summary>What PredictionEngine returns for the multiclass pipeline (after MapKeyToValue).</summary>
public sealed class MulticlassPrediction
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}
