using System.Numerics;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// <see cref="Vector{T}"/> of whatever width the runtime picks, on any hardware: a 4-row tile's
/// 8 accumulators fit the 16 registers of the smallest SIMD register files (SSE, AdvSIMD).
/// Multiply-add is fused where the hardware can, two roundings where it cannot.
/// </summary>
internal readonly unsafe struct PortableVectorOps : IVectorOps<Vector<float>>
{
    public static int Width => Vector<float>.Count;
    public static int TileRows => 4;
    public static bool IsSupported => true;
    public static Vector<float> Load(float* source) => Vector.Load(source);
    public static void Store(Vector<float> value, float* destination) => value.Store(destination);
    public static Vector<float> Broadcast(float value) => new(value);
    public static Vector<float> MultiplyAdd(Vector<float> left, Vector<float> right, Vector<float> addend) =>
        Vector.MultiplyAddEstimate(left, right, addend);
    public static Vector<float> Multiply(Vector<float> left, Vector<float> right) => left * right;
    public static Vector<float> Add(Vector<float> left, Vector<float> right) => left + right;
}
