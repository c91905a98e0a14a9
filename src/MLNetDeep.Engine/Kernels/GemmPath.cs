namespace MLNetDeep.Engine.Kernels;

/// <summary>Which GEMM micro-kernel a <see cref="ComputeContext"/> runs.</summary>
public enum GemmPath
{
    /// <summary>The widest path the processor supports: <see cref="Vector512"/>, else <see cref="Vector256"/>, else <see cref="Portable"/>.</summary>
    Auto,

    /// <summary>An 8 x 32 tile of 512-bit registers with fused multiply-add (AVX-512F and FMA).</summary>
    Vector512,

    /// <summary>A 6 x 16 tile of 256-bit registers with fused multiply-add (AVX2-class hardware with FMA).</summary>
    Vector256,

    /// <summary><see cref="System.Numerics.Vector{T}"/> of whatever width the runtime picks; runs everywhere.</summary>
    Portable,
}
