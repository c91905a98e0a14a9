namespace MLNetDeep.Engine.Tests.Kernels;

/// <summary>
/// Tests that count the process's allocations or check the worker pools' run counters: they run alone,
/// after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(KernelSettingsCollection), DisableParallelization = true)]
public sealed class KernelSettingsCollection;
