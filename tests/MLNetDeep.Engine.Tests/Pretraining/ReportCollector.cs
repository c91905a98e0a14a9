using MLNetDeep.Engine.Pretraining;
using Xunit.Abstractions;

namespace MLNetDeep.Engine.Tests.Pretraining;

/// <summary>Collects RBM epoch reports as they come (Progress&lt;T&gt; would post them later), printing them when given an output.</summary>
internal sealed class ReportCollector(List<RbmEpochReport> reports, ITestOutputHelper? output = null) : IProgress<RbmEpochReport>
{
    public void Report(RbmEpochReport value)
    {
        reports.Add(value);
        output?.WriteLine(value.ToString());
    }
}
