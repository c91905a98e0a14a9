using System.Text.Json;

namespace MLNetDeep.Bench.Compare;

/// <summary>
/// What one child process measured: named numbers and notes. A child prints it as one line
/// starting with <see cref="Prefix"/> on standard output; the parent collects those lines.
/// </summary>
public sealed class Measurement
{
    public const string Prefix = "MEASUREMENT ";

    public string Config { get; set; } = "";
    public Dictionary<string, double> Values { get; set; } = [];
    public Dictionary<string, string> Notes { get; set; } = [];
    public List<double> EpochSeconds { get; set; } = [];
    public List<double> EpochAccuracy { get; set; } = [];

    public double this[string key] => Values.TryGetValue(key, out var v) ? v : double.NaN;

    public void Emit()
    {
        Values["peak_working_set_mb"] = ProcessMemory.PeakWorkingSetMb();
        Console.Out.WriteLine(Prefix + JsonSerializer.Serialize(this));
        Console.Out.Flush();
    }

    public static Measurement? TryParse(string line) =>
        line.StartsWith(Prefix, StringComparison.Ordinal) ? JsonSerializer.Deserialize<Measurement>(line[Prefix.Length..]) : null;
}

/// <summary>The process's peak resident set (VmHWM in /proc/self/status), in MB.</summary>
public static class ProcessMemory
{
    public static double PeakWorkingSetMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0; // kB
        return Environment.WorkingSet / 1048576.0;
    }
}
