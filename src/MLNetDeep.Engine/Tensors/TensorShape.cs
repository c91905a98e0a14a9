namespace MLNetDeep.Engine.Tensors;

/// <summary>
/// The shape of one sample, without the batch dimension: <c>[features]</c> for dense data,
/// <c>[channels, height, width]</c> for images (the layout ML.NET's ExtractPixels produces).
/// </summary>
public sealed class TensorShape : IEquatable<TensorShape>
{
    private readonly int[] _dims;

    /// <summary>Creates a shape from its dimensions; each must be positive.</summary>
    public TensorShape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0) throw new ArgumentException("A shape needs at least one dimension.", nameof(dims));
        long size = 1;
        foreach (int d in dims)
        {
            if (d <= 0) throw new ArgumentOutOfRangeException(nameof(dims), $"Every dimension must be positive; got [{string.Join(", ", dims)}].");
            size *= d;
            if (size > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(dims), $"Shape [{string.Join(", ", dims)}] has more than {int.MaxValue} elements.");
        }
        _dims = (int[])dims.Clone();
        Size = (int)size;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Dims => _dims;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>The number of elements of one sample.</summary>
    public int Size { get; }

    /// <summary>The dimension at <paramref name="index"/>.</summary>
    public int this[int index] => _dims[index];

    /// <summary>A flat vector of <paramref name="size"/> elements.</summary>
    public static TensorShape Vector(int size) => new(size);

    /// <summary>An image of <paramref name="channels"/> planes of <paramref name="height"/> by <paramref name="width"/>.</summary>
    public static TensorShape Image(int channels, int height, int width) => new(channels, height, width);

    /// <inheritdoc/>
    public bool Equals(TensorShape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TensorShape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in _dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", _dims) + "]";
}
