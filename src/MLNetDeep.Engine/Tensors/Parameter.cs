namespace MLNetDeep.Engine.Tensors;

/// <summary>
/// A trainable array of a layer with its gradient. Weight matrices are stored
/// <c>[outputs, inputs]</c>, so the incoming weights of one unit are contiguous (max-norm works on rows).
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter of <paramref name="rows"/> by <paramref name="cols"/> values, zero-filled.</summary>
    public Parameter(string name, int rows, int cols, bool isWeight)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        Name = name;
        Rows = rows;
        Cols = cols;
        IsWeight = isWeight;
        Value = new float[checked(rows * cols)];
        Gradient = new float[Value.Length];
    }

    /// <summary>A name unique within its layer, such as "weight" or "bias".</summary>
    public string Name { get; }

    /// <summary>Rows: output units for a weight matrix, 1 for a bias.</summary>
    public int Rows { get; }

    /// <summary>Columns: inputs per unit for a weight matrix, units for a bias.</summary>
    public int Cols { get; }

    /// <summary>True for weights (L2 decay and max-norm apply), false for biases.</summary>
    public bool IsWeight { get; }

    /// <summary>The values.</summary>
    public float[] Value { get; }

    /// <summary>The gradient of the loss with respect to <see cref="Value"/>, filled by the layer's backward pass.</summary>
    public float[] Gradient { get; }

    /// <summary>The number of values.</summary>
    public int Length => Value.Length;
}
