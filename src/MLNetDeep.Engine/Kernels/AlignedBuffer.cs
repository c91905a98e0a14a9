using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// A growable float buffer whose address is fixed and 64-byte aligned, so that packed panels
/// can be read with full-width vector loads and held by raw pointers without a fixed block.
/// It lives on the pinned object heap: no finalizer, freed with its owner.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private const int AlignmentFloats = 16;

    private float[] _array = [];
    private float* _start;
    private int _capacity;

    /// <summary>Returns room for at least <paramref name="length"/> floats, growing only when too small.</summary>
    public float* Get(int length)
    {
        if (length > _capacity)
        {
            // Grow geometrically so a sequence of slightly larger shapes settles quickly.
            int capacity = Math.Max(length, (int)Math.Min(Array.MaxLength - AlignmentFloats, 2L * _capacity));
            _array = GC.AllocateUninitializedArray<float>(capacity + AlignmentFloats, pinned: true);
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
            _start = (float*)((address + (AlignmentFloats * sizeof(float) - 1)) & ~(nint)(AlignmentFloats * sizeof(float) - 1));
            _capacity = capacity;
        }
        return _start;
    }
}
