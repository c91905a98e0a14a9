using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetDeep.Engine.Kernels;

/// <summary>256-bit vectors with FMA: 16 registers hold a 6 x 16 tile's 12 accumulators, with one to spare.</summary>
internal readonly unsafe struct Vector256Ops : IVectorOps<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;
    public static int TileRows => 6;
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Fma.IsSupported;
    public static Vector256<float> Load(float* source) => Vector256.Load(source);
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) =>
        Vector256.FusedMultiplyAdd(left, right, addend);
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;
}
