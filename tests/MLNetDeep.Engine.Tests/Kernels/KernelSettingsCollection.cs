namespace MLNetDeep.Engine.Tests.Kernels;

/// <summary>
/// Tests that change process-wide kernel settings (<c>Gemm.Path</c>, <c>KernelThreads.Count</c>) or
/// count the process's allocations: they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(KernelSettingsCollection), DisableParallelization = true)]
public sealed class KernelSettingsCollection;
