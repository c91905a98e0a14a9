namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The few vector operations the GEMM micro-kernel needs, for one vector type. The runtime's
/// own abstraction over Vector128/256/512 (ISimdVector) is internal, so each width supplies
/// these as static members on a struct and the JIT specialises the kernel for it.
/// </summary>
internal unsafe interface IVectorOps<TVector> where TVector : struct
{
    /// <summary>Floats in one vector.</summary>
    static abstract int Width { get; }

    /// <summary>
    /// Rows of the micro-tile: 2 x rows accumulators, 2 loads of B and a broadcast of A must fit
    /// the register file without spilling.
    /// </summary>
    static abstract int TileRows { get; }

    /// <summary>True when the hardware runs this width natively, with fused multiply-add.</summary>
    static abstract bool IsSupported { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    static abstract TVector Broadcast(float value);

    /// <summary>left * right + addend, rounded once where the hardware can.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary>left * right, rounded.</summary>
    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>left + right, rounded.</summary>
    static abstract TVector Add(TVector left, TVector right);
}
