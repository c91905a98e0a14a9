using System.Numerics.Tensors;

namespace MLNetDeep.Engine.Tensors;

/// <summary>Finds NaN and infinities in weights: what a diverged run leaves, and what no saved network may hold.</summary>
internal static class FiniteValues
{
    /// <summary>True when every value is finite; vectorized, since it runs over every weight after each epoch.</summary>
    public static bool All(ReadOnlySpan<float> values) =>
        values.IsEmpty || float.IsFinite(TensorPrimitives.MaxMagnitude(values)); // NaN if any is NaN, infinity if any is infinite

    /// <summary>The index of the first NaN or infinite value, or -1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        if (All(values)) return -1;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    /// <summary>True when every value of every parameter is finite.</summary>
    public static bool All(IReadOnlyList<Parameter> parameters)
    {
        foreach (var p in parameters)
            if (!All(p.Value)) return false;
        return true;
    }
}
