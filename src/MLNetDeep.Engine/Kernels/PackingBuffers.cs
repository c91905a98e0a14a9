namespace MLNetDeep.Engine.Kernels;

/// <summary>
/// The scratch memory one thread needs for a packed product: a block of A, a block of B and
/// one output tile for the edges. One set a thread (the pool's workers and every calling
/// thread), so concurrent products never share scratch and a warmed-up thread allocates nothing.
/// </summary>
internal sealed class PackingBuffers
{
    [ThreadStatic]
    private static PackingBuffers? t_current;

    /// <summary>The buffers of the calling thread, created on its first product.</summary>
    public static PackingBuffers ForCurrentThread => t_current ??= new PackingBuffers();

    /// <summary>Packed micro-panels of A: rows of the tile interleaved along k.</summary>
    public AlignedBuffer A { get; } = new();

    /// <summary>Packed micro-panels of B: columns of the tile interleaved along k.</summary>
    public AlignedBuffer B { get; } = new();

    /// <summary>A full tile that edge tiles are computed into before the valid part is written to C.</summary>
    public AlignedBuffer Tile { get; } = new();
}
