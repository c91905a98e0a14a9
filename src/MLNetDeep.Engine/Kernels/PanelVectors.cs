namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// How many vectors of outputs a panel of <see cref="RowWeights"/> holds, as a type, so that the JIT compiles one
/// loop for each width with no branch per input: 8 for wide layers, 1, 2 or 4 for layers with fewer outputs.
/// </summary>
internal static class PanelVectors
{
    /// <summary>The count, a constant of the type.</summary>
    public interface ICount
    {
        static abstract int Vectors { get; }
    }

    public readonly struct One : ICount
    {
        public static int Vectors => 1;
    }

    public readonly struct Two : ICount
    {
        public static int Vectors => 2;
    }

    public readonly struct Four : ICount
    {
        public static int Vectors => 4;
    }

    public readonly struct Eight : ICount
    {
        public static int Vectors => 8;
    }
}
