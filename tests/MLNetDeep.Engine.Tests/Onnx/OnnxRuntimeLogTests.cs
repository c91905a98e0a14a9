using MLNetDeep.Engine.Onnx;

namespace MLNetDeep.Engine.Tests.Onnx;

/// <summary>The warning check of the export tests can fail: a model ONNX Runtime does warn about is caught.</summary>
public sealed class OnnxRuntimeLogTests
{
    [Fact]
    public void AnUnusedInitializerIsReportedAsAWarning()
    {
        var writer = new OnnxModelWriter("unused", "");
        string input = writer.AddInput("input", [3]);
        writer.AddInitializer("never_read", [1f, 2f], [2]);
        writer.AddOutput(writer.Apply("Relu", input), "output", [3]);
        using var stream = new MemoryStream();
        writer.WriteTo(stream, NetworkOnnxExport.OpsetVersion, "test");

        using var session = OnnxRuntimeHost.Load(stream.ToArray(), out var warnings);

        Assert.Contains(warnings, w => w.Contains("never_read", StringComparison.Ordinal));
    }
}
