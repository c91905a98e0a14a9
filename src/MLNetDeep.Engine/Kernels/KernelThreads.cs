namespace MLNetDeep.Engine.Kernels;
/// <summary>temporary</summary>
public static class KernelThreads { /// <summary>t</summary>
public static int Count { get; set; } = Environment.ProcessorCount; }
