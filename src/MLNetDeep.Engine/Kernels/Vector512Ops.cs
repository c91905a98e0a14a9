using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetDeep.Engine.Kernels;

/// <summary>512-bit vectors (AVX-512F with FMA): 32 registers hold an 8 x 32 tile's 16 accumulators.</summary>
internal readonly unsafe struct Vector512Ops : IVectorOps<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;
    public static int TileRows => 8;
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Fma.IsSupported;
    public static Vector512<float> Load(float* source) => Vector512.Load(source);
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) =>
        Vector512.FusedMultiplyAdd(left, right, addend);
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;
}
