namespace MLNetDeep.Bench.Memory;

/// <summary>The process's resident set from /proc/self/status (Linux), and a reset of its peak.</summary>
internal static class ProcessMemory
{
    /// <summary>VmHWM: the peak resident set since the process started or the last <see cref="ResetPeak"/>, in bytes.</summary>
    public static long PeakBytes() => Field("VmHWM:");

    /// <summary>VmRSS: the resident set now, in bytes.</summary>
    public static long CurrentBytes() => Field("VmRSS:");

    /// <summary>Sets the peak to the current resident set (writing 5 to /proc/self/clear_refs, Linux 4.0 and later).</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Field(string name)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(name, StringComparison.Ordinal))
                return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"/proc/self/status has no {name} line.");
    }
}
