using System.Buffers.Binary;
using System.IO.Compression;
using MLNetDeep.Engine.Serialization;
using MLNetDeep.Engine.Tensors;

namespace MLNetDeep.Tests.Reliability;

/// <summary>
/// Ways to damage a model file, each driven by a seeded generator: on the raw bytes (bit flips, truncation,
/// random ranges, random files, junk appended) and on the zip's entries, rewritten into a valid archive so
/// that the damage reaches the readers behind the zip (an entry mutated, padded, two swapped, one dropped or renamed).
/// </summary>
internal static class ZipMutations
{
    /// <summary>The name of each mutation, in the order <see cref="Apply"/> numbers them.</summary>
    public static readonly string[] Names =
    [
        "bit flips", "truncation", "random range", "random file", "junk appended",
        "entry mutated", "entries swapped", "entry dropped", "entry renamed", "network payload mutated and resealed",
        "entry padded",
    ];

    public static byte[] Apply(int mutation, byte[] zip, Rng rng, string ownEntry) => mutation switch
    {
        0 => Bytes.FlipBits(zip, rng),
        1 => zip[..rng.NextInt(zip.Length)],
        2 => Bytes.OverwriteRange(zip, rng),
        3 => Bytes.Random(rng.NextInt(2 * zip.Length + 1), rng),
        4 => [.. zip, .. Bytes.Random(1 + rng.NextInt(1 << 16), rng)],
        5 => Rewrite(zip, entries => Mutate(entries, PickEntry(entries, rng, ownEntry), e => Bytes.Mutate(e, rng))),
        6 => Rewrite(zip, entries => Swap(entries, rng)),
        7 => Rewrite(zip, entries => entries.Remove(PickEntry(entries, rng, ownEntry))),
        8 => Rewrite(zip, entries => Rename(entries, PickEntry(entries, rng, ownEntry), rng)),
        9 => Rewrite(zip, entries => Mutate(entries, ownEntry, e => Bytes.MutateSealedEnvelope(e, rng))),
        // Oversized: up to 1 MB of zeros after an entry's content, which compress to almost nothing.
        _ => Rewrite(zip, entries => Mutate(entries, PickEntry(entries, rng, ownEntry), e => [.. e, .. new byte[1 + rng.NextInt(1 << 20)]])),
    };

    /// <summary>The entries of a zip archive, by name.</summary>
    public static Dictionary<string, byte[]> Read(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>();
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries[entry.FullName] = copy.ToArray();
        }
        return entries;
    }

    private static byte[] Write(Dictionary<string, byte[]> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(content);
            }
        }
        return output.ToArray();
    }

    private static byte[] Rewrite(byte[] zip, Action<Dictionary<string, byte[]>> change)
    {
        var entries = Read(zip);
        change(entries);
        return Write(entries);
    }

    /// <summary>This library's entry half the time: it is what our readers see; the rest is ML.NET's.</summary>
    private static string PickEntry(Dictionary<string, byte[]> entries, Rng rng, string ownEntry) =>
        rng.NextInt(2) == 0 && entries.ContainsKey(ownEntry) ? ownEntry : entries.Keys.ElementAt(rng.NextInt(entries.Count));

    private static void Mutate(Dictionary<string, byte[]> entries, string name, Func<byte[], byte[]> mutate)
    {
        if (entries.TryGetValue(name, out var content)) entries[name] = mutate(content);
    }

    private static void Swap(Dictionary<string, byte[]> entries, Rng rng)
    {
        var names = entries.Keys.ToArray();
        string a = names[rng.NextInt(names.Length)], b = names[rng.NextInt(names.Length)];
        (entries[a], entries[b]) = (entries[b], entries[a]);
    }

    private static void Rename(Dictionary<string, byte[]> entries, string name, Rng rng)
    {
        var content = entries[name];
        entries.Remove(name);
        var names = entries.Keys.ToArray();
        // Either over another entry (which is then lost) or under a new name.
        string target = names.Length > 0 && rng.NextInt(2) == 0 ? names[rng.NextInt(names.Length)] : name + "~";
        entries[target] = content;
    }
}

/// <summary>Damage to a byte array.</summary>
internal static class Bytes
{
    public static byte[] Random(int length, Rng rng)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)rng.NextUInt();
        return bytes;
    }

    public static byte[] FlipBits(byte[] bytes, Rng rng)
    {
        var copy = (byte[])bytes.Clone();
        if (copy.Length == 0) return copy;
        for (int flips = 1 + rng.NextInt(4); flips > 0; flips--) copy[rng.NextInt(copy.Length)] ^= (byte)(1 << rng.NextInt(8));
        return copy;
    }

    public static byte[] OverwriteRange(byte[] bytes, Rng rng)
    {
        var copy = (byte[])bytes.Clone();
        if (copy.Length == 0) return copy;
        int start = rng.NextInt(copy.Length), length = Math.Min(1 + rng.NextInt(64), copy.Length - start);
        Random(length, rng).CopyTo(copy, start);
        return copy;
    }

    /// <summary>
    /// An int32 field set to a value a reader must bound (0, -1, huge, or random) at a 4-byte-aligned offset:
    /// the counts and lengths of the formats sit at such offsets more often than not.
    /// </summary>
    public static byte[] ExtremeInt(byte[] bytes, Rng rng, int from = 0)
    {
        var copy = (byte[])bytes.Clone();
        if (copy.Length - from < 4) return copy;
        int at = from + rng.NextInt((copy.Length - from) / 4) * 4 + rng.NextInt(4) % 2;
        at = Math.Min(at, copy.Length - 4);
        int[] values = [0, -1, 1, int.MaxValue, int.MinValue, 1 << 20, 1 << 30, (int)rng.NextUInt()];
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(at), values[rng.NextInt(values.Length)]);
        return copy;
    }

    /// <summary>One of the damages above, or a cut or an insertion in the middle.</summary>
    public static byte[] Mutate(byte[] bytes, Rng rng) => rng.NextInt(6) switch
    {
        0 => FlipBits(bytes, rng),
        1 => bytes[..rng.NextInt(bytes.Length + 1)],
        2 => OverwriteRange(bytes, rng),
        3 => ExtremeInt(bytes, rng),
        4 => Insert(bytes, rng),
        _ => [.. bytes, .. Random(1 + rng.NextInt(256), rng)],
    };

    private static byte[] Insert(byte[] bytes, Rng rng)
    {
        int at = rng.NextInt(bytes.Length + 1);
        return [.. bytes[..at], .. Random(1 + rng.NextInt(16), rng), .. bytes[at..]];
    }

    /// <summary>
    /// Damage inside the engine's checksummed envelope ("MLND"...crc32) found in <paramref name="bytes"/>, with the
    /// checksum recomputed, so that the damage gets past the checksum to the parser.
    /// </summary>
    public static byte[] MutateSealedEnvelope(byte[] bytes, Rng rng)
    {
        int start = bytes.AsSpan().IndexOf("MLND"u8);
        if (start < 0) start = bytes.AsSpan().IndexOf("MLDB"u8);
        if (start < 0 || bytes.Length - start < 16) return FlipBits(bytes, rng);
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(start + 8));
        int end = start + 12 + length + 4;
        if (length < 0 || end > bytes.Length) return FlipBits(bytes, rng);
        byte[] envelope = bytes[start..end];
        byte[] payload = envelope[12..^4];
        payload = rng.NextInt(3) switch
        {
            0 => FlipBits(payload, rng),
            1 => OverwriteRange(payload, rng),
            _ => ExtremeInt(payload, rng),
        };
        byte[] sealedEnvelope = Seal(envelope[..12], payload);
        return [.. bytes[..start], .. sealedEnvelope, .. bytes[end..]];
    }

    /// <summary>Header (magic, version, length to fix) + payload + a correct CRC-32.</summary>
    public static byte[] Seal(byte[] header, byte[] payload)
    {
        byte[] all = [.. header, .. payload, 0, 0, 0, 0];
        BinaryPrimitives.WriteInt32LittleEndian(all.AsSpan(8), payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(all.AsSpan(all.Length - 4), Crc32.Compute(all.AsSpan(0, all.Length - 4)));
        return all;
    }
}
